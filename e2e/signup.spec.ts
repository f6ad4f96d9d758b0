import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { checkPage } from "./support";

/** Seller sign-up in the browser: the shared schema's messages inline, then the new seller's own (empty) console. */
test("a new seller signs up: inline errors from the shared schema, then their own empty console", async ({ page }) => {
  await checkPage(page, "signup", "/signup", async (p) => {
    await expect(p.getByRole("heading", { name: "Create a seller account" })).toBeVisible();
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  const run = randomUUID().slice(0, 8);

  await page.getByLabel("Business name").fill(`Shop ${run}`);
  await page.getByLabel("Email").fill(`owner-${run}@example.test`);
  await page.getByLabel(/^Password/).fill("short");
  await page.getByRole("button", { name: "Create seller account" }).click();
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();
  await expect(page.getByLabel(/^Password/)).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel(/^Password/).fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create seller account" }).click();
  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole("heading", { level: 1, name: "Coupon books" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No coupon books yet" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/seller-new-1280.png", fullPage: true });

  // The same email again: the server's refusal comes back on the email field.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/signup");
  await page.getByLabel("Business name").fill(`Other ${run}`);
  await page.getByLabel("Email").fill(`owner-${run}@example.test`);
  await page.getByLabel(/^Password/).fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create seller account" }).click();
  await expect(page.getByText("An account with this email already exists")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});
