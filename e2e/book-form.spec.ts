import { expect, test } from "@playwright/test";
import { checkPage, signIn } from "./support";

test("a seller creates a book, generates its codes after a guessable pattern is refused, and renames it", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "seller@demo.test");
  const name = `Spring e2e ${Date.now()}`;

  await page.goto("/seller");
  await page.getByRole("link", { name: "New book" }).click();
  await expect(page).toHaveURL(/\/seller\/books\/new$/);
  await checkPage(page, "book-new", "/seller/books/new", async (p) => {
    await expect(p.getByRole("heading", { name: "New coupon book" })).toBeVisible();
    await expect(p.getByRole("button", { name: "Create book" })).toBeEnabled();
  });

  // The shared schema's message shows inline before anything is sent, in words a seller can act on.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel("Codes per shopper").fill("0");
  await page.getByRole("button", { name: "Create book" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription("Required");
  await expect(page.getByLabel("Codes per shopper")).toHaveAccessibleDescription("must be at least 1");
  await page.getByLabel("Codes per shopper").fill("1");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Percent off", { exact: true }).fill("150");
  await page.getByRole("button", { name: "Create book" }).click();
  await expect(page.getByText("a PERCENT discount is a whole percent from 1 to 100")).toBeVisible();
  await expect(page.getByLabel("Percent off", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Percent off", { exact: true }).fill("15");
  await page.getByLabel("Budget (optional)").fill("250.00");
  await page.getByRole("button", { name: "Create book" }).click();
  await expect(page).toHaveURL(/\/seller\/books\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").at(-1)!;

  await checkPage(page, "generate", `/seller/books/${id}/generate`, async (p) => {
    await expect(p.getByRole("heading", { name: "Generate codes" })).toBeVisible();
    await expect(p.getByRole("list", { name: "Sample codes" }).getByRole("listitem")).toHaveCount(5);
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel("Pattern").fill("A-{X}");
  await page.getByLabel("How many codes").fill("500");
  await expect(page.getByText("The pattern makes 32 codes; at least 50000 are required (100× the codes of the book)")).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate codes" })).toBeDisabled();
  await page.getByLabel("Pattern").fill("SPRING-{XXXXXXXX}");
  await expect(page.getByRole("list", { name: "Sample codes" }).getByRole("listitem").first()).toHaveText(/^SPRING-[2-9A-HJ-NP-Z]{8}$/);
  await page.getByRole("button", { name: "Generate codes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Generated 500 codes" })).toContainText("from SPRING-{XXXXXXXX}");

  await checkPage(page, "book-edit", `/seller/books/${id}/edit`, async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: /^Edit/ })).toBeVisible();
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByLabel("Percent off", { exact: true })).toHaveValue("15");
  await expect(page.getByLabel("Budget (optional)")).toHaveValue("250.00");
  await page.getByLabel("Name", { exact: true }).fill(`${name} renamed`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/seller/books/${id}$`));

  await page.goto(`/seller?q=${encodeURIComponent(`${name} renamed`)}`);
  const row = page.getByRole("row").filter({ hasText: `${name} renamed` });
  await expect(row).toContainText("15% off");
  await expect(row).toContainText("500");
});

test("the edit and generate pages of a book that is not the seller's, or not a book, are 404s", async ({ page }) => {
  await signIn(page, "seller@demo.test");
  for (const path of ["/seller/books/not-a-uuid/edit", `/seller/books/${crypto.randomUUID()}/generate`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" }), path).toBeVisible();
  }
});
