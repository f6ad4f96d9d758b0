import { expect, test, type Page, type Response } from "@playwright/test";

function expectCommonHeaders(response: Response | { headers(): Record<string, string> }, where: string) {
  const headers = response.headers();
  expect(headers["x-content-type-options"], where).toBe("nosniff");
  expect(headers["referrer-policy"], where).toBe("strict-origin-when-cross-origin");
  // The e2e server is a production build: HSTS is on (browsers ignore it over plain http).
  expect(headers["strict-transport-security"], where).toMatch(/max-age=\d+/);
}

function expectPagePolicy(response: Response, where: string) {
  expectCommonHeaders(response, where);
  const csp = response.headers()["content-security-policy"] ?? "";
  expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp, where).toContain("frame-ancestors 'none'");
  // Scripts never run inline without the nonce; styles may be inline (Radix and sonner inject <style>).
  const scriptSrc = csp.split(";").find((directive) => directive.trim().startsWith("script-src")) ?? "";
  expect(scriptSrc, where).not.toContain("unsafe-inline");
  return /'nonce-([^']+)'/.exec(csp)![1]!;
}

/** CSP violations a page reports, from the console and from the DOM's own event. */
async function watchViolations(page: Page) {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => console.error(`Refused to execute: CSP ${event.violatedDirective} ${event.blockedURI}`));
  });
  return violations;
}

test("pages carry the security headers with a fresh nonce, hydrate, and sign in with no CSP violation", async ({ page }) => {
  const violations = await watchViolations(page);

  const home = await page.goto("/");
  const firstNonce = expectPagePolicy(home!, "/");
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));

  const login = await page.goto("/login");
  expect(expectPagePolicy(login!, "/login")).not.toBe(firstNonce);
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));
  // Next's own scripts carry the nonce of this response.
  expect(await page.locator("script[nonce]").count()).toBeGreaterThan(0);

  await page.getByLabel("Email").fill("seller@demo.test");
  await page.getByLabel("Password").fill("demo1234");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Without a callbackUrl a seller lands on their own area.
  await expect(page).toHaveURL(/\/seller$/);

  const seller = await page.goto("/seller");
  expectPagePolicy(seller!, "/seller");
  await expect(page.getByRole("heading", { name: "Coupon books" })).toBeVisible();
  await expect(page.getByText("seller@demo.test (seller)")).toBeVisible();
  expect(violations).toEqual([]);
});

test("API answers carry nosniff, a no-content CSP and HSTS", async ({ request }) => {
  for (const path of ["/api/health", "/health"]) {
    const response = await request.get(path);
    expectCommonHeaders(response, path);
    expect(response.headers()["content-security-policy"], path).toContain("default-src 'none'");
  }
});

test("malformed percent-encoding in a dynamic segment is a JSON 400, not a plain-text 500", async ({ request }) => {
  for (const segment of ["%ZZ", "%", "%C0%AF", "%FF%FE"]) {
    const response = await request.post(`/api/coupons/${segment}/lock`, { data: { userId: "u" } });
    expect(response.status(), segment).toBe(400);
    expect(await response.json(), segment).toMatchObject({ code: "VALIDATION_ERROR", error: expect.any(String) });
  }
  // A well-formed escape still reaches the route (401 without credentials).
  expect((await request.post("/api/coupons/%41BC/lock", { data: { userId: "u" } })).status()).toBe(401);
});

test("a server action from a foreign Origin is a 403, not a 500", async ({ request }) => {
  const html = await (await request.get("/login")).text();
  // A plain form action renders `$ACTION_ID_<id>`; a useActionState form (the login form) renders its
  // reference as JSON in `$ACTION_1:0`.
  const match = /name="\$ACTION_ID_([0-9a-f]+)"/.exec(html) ?? /&quot;id&quot;:&quot;([0-9a-f]+)&quot;/.exec(html);
  const actionId = match?.[1];
  expect(actionId, "the login form's server action id").toBeTruthy();
  const form = { email: "seller@demo.test", password: "demo1234", callbackUrl: "/" };
  // The fetch a hydrated form sends, and the plain form post without JavaScript.
  const asFetch = await request.post("/login", {
    headers: { origin: "http://evil.example", "next-action": actionId!, accept: "text/x-component" },
    multipart: form,
  });
  expect(asFetch.status()).toBe(403);
  expect(await asFetch.json()).toMatchObject({ code: "FORBIDDEN" });
  const asForm = await request.post("/login", { headers: { origin: "http://evil.example" }, multipart: { [`$ACTION_ID_${actionId}`]: "", ...form } });
  expect(asForm.status()).toBe(403);
});
