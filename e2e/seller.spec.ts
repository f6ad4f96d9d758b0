import { expect, test } from "@playwright/test";

test("health reports the database connected", async ({ request }) => {
  for (const path of ["/api/health", "/health"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "connected" });
  }
});

test("a seller signs in and sees the demo coupon books", async ({ page }) => {
  await page.goto("/seller");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fseller|\/login\?callbackUrl=\/seller/);

  await page.getByLabel("Email").fill("seller@demo.test");
  await page.getByLabel("Password").fill("demo1234");
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole("heading", { name: "Coupon books" })).toBeVisible();
  const summer = page.getByRole("row").filter({ hasText: "Summer 2026" });
  await expect(summer).toContainText("ACTIVE");
  await expect(summer).toContainText("20% off");
  await expect(page.getByRole("row").filter({ hasText: "WELCOME10" })).toContainText("ACTIVE");
  await expect(page.getByText("seller@demo.test (seller)")).toBeVisible();
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("seller@demo.test");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await page.goto("/seller");
  await expect(page).toHaveURL(/\/login/);
});
