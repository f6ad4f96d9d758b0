import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { apiRequest } from "@/testing/api/client";
import { send } from "./api";
import { checkPage, signIn } from "./support";

/**
 * The seller's API keys page (issue 11): a key is created in the browser, its secret shown once,
 * it authenticates against the API, and once revoked (after a confirmation) the API answers 401.
 */
test("a seller creates a key, sees its secret once, uses it, revokes it, and the API then answers 401", async ({ page, context, request }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, "seller@demo.test");
  const sellerNav = page.getByRole("navigation", { name: "Seller" });
  await sellerNav.getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/seller\/api-keys$/);
  await expect(sellerNav.getByRole("link", { name: "API keys" })).toHaveAttribute("aria-current", "page");

  await checkPage(page, "api-keys", "/seller/api-keys", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
    await expect(p.getByRole("button", { name: "Create API key" })).toBeVisible();
    await expect(p.getByRole("button", { name: "Sign out" })).toBeInViewport();
  });
  await page.setViewportSize({ width: 1280, height: 800 });

  const name = `e2e-${randomUUID().slice(0, 8)}`;
  await page.getByRole("button", { name: "Create API key" }).click();
  const createDialog = page.getByRole("dialog", { name: "Create API key" });
  // The API's own schema, in the browser: an empty name is refused before any call.
  await createDialog.getByRole("button", { name: "Create key" }).click();
  await expect(createDialog.getByText("Give the key a name")).toBeVisible();
  await createDialog.getByLabel("Name").fill(name);
  await createDialog.getByRole("button", { name: "Create key" }).click();

  const secretDialog = page.getByRole("dialog", { name: "Copy your new API key" });
  await expect(secretDialog.getByText("This is the only time the key is shown")).toBeVisible();
  const secretField = secretDialog.getByLabel("API key", { exact: true });
  await expect(secretField).toHaveAttribute("readonly", "");
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^cpk_[a-z0-9]{12}_[A-Za-z0-9_-]{32,}$/);
  await secretDialog.getByRole("button", { name: "Copy" }).click();
  await expect(secretDialog.getByRole("status").filter({ hasText: "Copied" })).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await page.screenshot({ path: "test-results/screenshots/api-keys-secret-1280.png" });
  await secretDialog.getByRole("button", { name: "Done" }).click();
  await expect(secretDialog).toHaveCount(0);

  // Closed: the secret is gone from the page; the list shows only its prefix.
  const prefix = secret.split("_")[1]!;
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(`cpk_${prefix}_…`);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("never");
  expect(await page.content()).not.toContain(secret);

  const listBooks = apiRequest("get", "/api/coupon-books", { headers: { authorization: `Bearer ${secret}` } });
  expect((await send(request, listBooks)).status()).toBe(200);

  await page.reload();
  await expect(row).toContainText("UTC"); // last used: now a time, not "never"
  expect(await page.content()).not.toContain(secret);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke ${name}?` });
  await expect(confirm.getByText("Calls with this key get 401 at once on this server, and within 30 seconds on every other instance.")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/api-keys-revoke-1280.png" });
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(row).toContainText("Revoked on");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);

  expect((await send(request, listBooks)).status()).toBe(401);
  await page.reload();
  await expect(row).toContainText("Revoked on");
  expect(await page.content()).not.toContain(secret);
});

test("a visitor opening /seller/api-keys signs in and comes back to it", async ({ page }) => {
  await page.goto("/seller/api-keys");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fseller%2Fapi-keys$/);
  await page.getByLabel("Email").fill("seller@demo.test");
  await page.getByLabel("Password").fill("demo1234");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/seller\/api-keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
});

test("a shopper opening /seller/api-keys is sent to sign in with a seller account", async ({ page }) => {
  await signIn(page, "shopper@demo.test");
  await page.goto("/seller/api-keys");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fseller&reason=forbidden$/);
  await expect(page.getByText("That page is for sellers. Sign in with a seller account.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "API keys" })).toHaveCount(0);
});

test("ops see no API keys link, and the page tells them keys are managed by sellers", async ({ page }) => {
  await signIn(page, "ops@demo.test");
  await page.goto("/seller");
  await expect(page.getByRole("navigation", { name: "Seller" }).getByRole("link")).toHaveText(["Books"]);
  await page.goto("/seller/api-keys");
  await expect(page.getByRole("heading", { name: "API keys are managed by sellers" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create API key" })).toHaveCount(0);
});
