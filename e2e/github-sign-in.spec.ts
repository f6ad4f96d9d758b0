import { expect, test, type Page } from "@playwright/test";
import { apiRequest } from "@/testing/api/client";
import { send } from "./api";
import { checkPage } from "./support";
import { FAKE_GITHUB_CLIENT, startFakeGitHub, type FakeGitHub, type GitHubIdentity } from "./fake-github";

/**
 * GitHub sign-in end to end: the production server runs Auth.js's GitHub provider against a GitHub
 * Enterprise Server (AUTH_GITHUB_ENTERPRISE_URL), here e2e/fake-github.ts on loopback. GitHub signs
 * in existing users only, matched on an email GitHub says the person has verified.
 */
// Against a server of your own (E2E_BASE_URL), start it with AUTH_GITHUB_ID/SECRET from FAKE_GITHUB_CLIENT and
// AUTH_GITHUB_ENTERPRISE_URL=fakeGitHubUrl() (see playwright.config.ts); otherwise these tests fail, they are never skipped.

let github: FakeGitHub;
test.beforeAll(async () => {
  github = await startFakeGitHub();
});
test.afterAll(async () => {
  await github?.close();
});

const run = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const REFUSED = "No account uses your GitHub email. Sellers: create an account with the sign-up form first.";

async function signInWithGitHub(page: Page, identity: GitHubIdentity) {
  github.signInAs(identity);
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
}

const calls = (path: string) => github.received().filter((r) => r.path === path);

test("a seller whose verified GitHub email is theirs signs in with GitHub and lands on /seller", async ({ page, baseURL }) => {
  await signInWithGitHub(page, {
    id: 4101,
    login: "demo-seller",
    email: "seller@demo.test",
    emails: [{ email: "seller@demo.test", verified: true, primary: true }],
  });

  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole("heading", { name: "Coupon books" })).toBeVisible();
  await expect(page.getByText("seller@demo.test (seller)")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  // The session is our user (role and business from our database), not GitHub's profile.
  const session = await (await send(page.request, apiRequest("get", "/api/auth/session"))).json();
  expect(session?.user).toMatchObject({ email: "seller@demo.test", role: "seller" });
  expect(session?.user.businessId).toBeTruthy();

  // What the app sent to "GitHub": the authorize redirect, a code exchange with the client's secret and
  // the PKCE verifier (the fake refuses a wrong one), then the profile and the emails with the token.
  const [authorize] = calls("/login/oauth/authorize");
  expect(authorize?.query).toMatchObject({
    client_id: FAKE_GITHUB_CLIENT.id,
    redirect_uri: `${baseURL}/api/auth/callback/github`,
    response_type: "code",
    scope: "read:user user:email",
    code_challenge_method: "S256",
  });
  const [exchange] = calls("/login/oauth/access_token");
  expect(exchange?.authorization).toBe(`Basic ${Buffer.from(`${FAKE_GITHUB_CLIENT.id}:${FAKE_GITHUB_CLIENT.secret}`).toString("base64")}`);
  expect(exchange?.form).toMatchObject({ grant_type: "authorization_code", redirect_uri: `${baseURL}/api/auth/callback/github` });
  expect(exchange?.form.code_verifier).toBeTruthy();
  const [token] = github.issuedTokens();
  expect(calls("/api/v3/user").map((r) => r.authorization)).toEqual([`Bearer ${token}`]);
  // The app's own check of the email (lib/auth/next-auth.ts) asked the same server, not api.github.com.
  expect(calls("/api/v3/user/emails").map((r) => r.authorization)).toContain(`Bearer ${token}`);
});

test("a GitHub account whose email matches a seller but is unverified is refused", async ({ page }) => {
  // Anyone can type a seller's address into their GitHub profile; only GitHub's verified flag counts.
  await signInWithGitHub(page, {
    id: 4102,
    login: "impostor",
    email: "seller@demo.test",
    emails: [{ email: "seller@demo.test", verified: false, primary: true }],
  });

  await expect(page).toHaveURL(/\/login\?error=GitHubAccountNotFound$/);
  await expect(page.getByRole("alert").filter({ hasText: REFUSED })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  expect(calls("/api/v3/user/emails")).toHaveLength(1);
  expect(await (await send(page.request, apiRequest("get", "/api/auth/session"))).json()).toBeNull();
  // And the seller area stays closed.
  await page.goto("/seller");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});

test("a verified GitHub email that no account here uses is refused, with the way to sign up", async ({ page }) => {
  // A private profile email (null): Auth.js asks /user/emails for the primary one, and so does our check.
  const email = `nobody-${run()}@example.test`;
  await signInWithGitHub(page, { id: 4103, login: "stranger", email: null, emails: [{ email, verified: true, primary: true }] });

  await expect(page).toHaveURL(/\/login\?error=GitHubAccountNotFound$/);
  await expect(page.getByRole("alert").filter({ hasText: REFUSED })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create a seller account" })).toBeVisible();
  expect(await (await send(page.request, apiRequest("get", "/api/auth/session"))).json()).toBeNull();
  expect(calls("/api/v3/user/emails").length).toBeGreaterThanOrEqual(1);

  await checkPage(page, "login-github-refused", "/login?error=GitHubAccountNotFound", async (p) => {
    await expect(p.getByRole("alert").filter({ hasText: REFUSED })).toBeVisible();
    await expect(p.getByRole("button", { name: "Sign in with GitHub" })).toBeVisible();
  });
});
