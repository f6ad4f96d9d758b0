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
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole("heading", { name: "Coupon books" })).toBeVisible();
  const summer = page.getByRole("row").filter({ hasText: "Summer 2026" });
  await expect(summer).toContainText("ACTIVE");
  await expect(summer).toContainText("20% off");
  await expect(page.getByRole("row").filter({ hasText: "WELCOME10" })).toContainText("ACTIVE");
  await expect(page.getByText("seller@demo.test (seller)")).toBeVisible();

  // Search by name and filter by status: the page is a plain GET form, so the URL can be shared.
  await page.getByLabel("Name").fill("summer");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=summer/);
  await expect(page.getByRole("row")).toHaveCount(2); // the header and Summer 2026
  await expect(page.getByRole("row").nth(1)).toContainText("Summer 2026");
  await page.getByLabel("Status").selectOption("PAUSED");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: "No books match" })).toBeVisible();
  await page.getByRole("link", { name: "Clear" }).click();
  // Other specs add books to the demo business (e2e/book-form.spec.ts), so no exact row count here.
  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole("row").filter({ hasText: "Summer 2026" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "WELCOME10" })).toBeVisible();
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("seller@demo.test");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  // Ready for the next try: the email kept, the cursor in the (emptied) password.
  await expect(page.getByLabel("Email")).toHaveValue("seller@demo.test");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.goto("/seller");
  await expect(page).toHaveURL(/\/login/);
});
