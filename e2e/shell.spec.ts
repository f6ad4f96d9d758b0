import { expect, test } from "@playwright/test";
import { checkPage, signIn } from "./support";

/**
 * The app shell every console shares: accessible (axe finds no serious or critical violation), no
 * horizontal scroll on a 390 px phone, area guards and the sign-in flow. Screenshots of each page at
 * 1280 and 390 px go to test-results/screenshots/ (the e2e artifacts) for a human to look at.
 */
test("home, sign-in and 404 pages: accessible, no horizontal scroll on a phone", async ({ page }) => {
  await checkPage(page, "home", "/", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Coupon platform" })).toBeVisible();
    // Signed out: Sign in only, no link to an area.
    await expect(p.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(p.getByRole("banner").getByRole("link", { name: "Seller" })).toHaveCount(0);
    // The API docs are public: linked for a signed-out visitor too.
    await expect(p.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["API docs"]);
  });
  await checkPage(page, "login", "/login", async (p) => {
    await expect(p.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });
  await checkPage(page, "not-found", "/no-such-page", async (p) => {
    await expect(p.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(p.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  });
});

test("the seller's books page: accessible, the table scrolls inside its box, Sign out on screen at 390 px", async ({ page }) => {
  await signIn(page, "seller@demo.test");
  await expect(page).toHaveURL(/\/seller$/);
  await checkPage(page, "seller", "/seller", async (p) => {
    await expect(p.getByRole("heading", { name: "Coupon books" })).toBeVisible();
    await expect(p.getByRole("region", { name: "Coupon books" })).toBeVisible();
    await expect(p.getByRole("button", { name: "Sign out" })).toBeInViewport();
    await expect(p.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Seller", "API docs"]);
  });
});

test("a shopper opening /seller is sent to sign in with a message, and sees no Seller link", async ({ page }) => {
  await signIn(page, "shopper@demo.test");
  await expect(page).toHaveURL(/\/shop$/);
  await expect(page.getByRole("banner").getByRole("link", { name: "Seller" })).toHaveCount(0);
  await page.goto("/seller");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fseller&reason=forbidden$/);
  await expect(page.getByText("That page is for sellers. Sign in with a seller account.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Coupon books" })).toHaveCount(0);
});

test("a signed-in seller opening /login is sent on to /seller", async ({ page }) => {
  await signIn(page, "seller@demo.test");
  await page.goto("/login");
  await expect(page).toHaveURL(/\/seller$/);
});

test("ops land on the ops console and may open the seller area (every business's books)", async ({ page }) => {
  await signIn(page, "ops@demo.test");
  await expect(page).toHaveURL(/\/ops$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Seller" }).click();
  await expect(page.getByText(/All businesses/)).toBeVisible();
});

test("a wrong password keeps the email and says why", async ({ page }) => {
  await page.goto("/login?callbackUrl=/seller");
  await page.getByLabel("Email").fill("seller@demo.test");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("seller@demo.test");
  await expect(page.getByLabel("Password")).toHaveValue("");
  expect(page.url()).not.toContain("password");
  // The callbackUrl survives the failed attempt.
  await page.getByLabel("Password").fill("demo1234");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/seller$/);
});
