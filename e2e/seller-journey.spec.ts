import { expect, test } from "@playwright/test";
import { apiRequest } from "@/testing/api/client";
import { send } from "./api";
import { funnelFigure, hydrated } from "./support";

/**
 * Issue 11's acceptance flow in one go, as a new seller would live it: sign up, create a UNIQUE book,
 * see a guessable pattern refused, generate 500 codes, upload a CSV with one duplicate and one invalid
 * row, activate the book, assign a code to a shopper, see the funnel count it, create and revoke an
 * API key (the revoked key then gets 401), sign out.
 */
test("a new seller's first campaign, from sign-up to sign-out", async ({ page, request }) => {
  test.setTimeout(120_000);
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  // Sign up: the new seller lands on their own, empty console.
  await page.goto("/signup");
  await page.getByLabel("Business name").fill(`Journey ${tag}`);
  await page.getByLabel("Email").fill(`journey-${tag}@example.test`);
  await page.getByLabel(/^Password/).fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create seller account" }).click();
  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole("heading", { name: "No coupon books yet" })).toBeVisible();

  // A UNIQUE book, 20 % off.
  await page.getByRole("link", { name: "Create your first book" }).click();
  await hydrated(page.getByRole("form", { name: "New coupon book" }));
  await page.getByLabel("Name", { exact: true }).fill(`Launch ${tag}`);
  await page.getByLabel("Percent off", { exact: true }).fill("20");
  await page.getByRole("button", { name: "Create book" }).click();
  await expect(page).toHaveURL(/\/seller\/books\/[0-9a-f-]{36}$/);
  const bookPath = new URL(page.url()).pathname;

  // A guessable pattern is refused before anything is sent; a good one makes 500 codes.
  await page.getByRole("link", { name: "Generate codes" }).click();
  await page.getByLabel("Pattern").fill("L-{X}");
  await page.getByLabel("How many codes").fill("500");
  await expect(page.getByText(/The pattern makes 32 codes; at least 50000 are required/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate codes" })).toBeDisabled();
  await page.getByLabel("Pattern").fill("LAUNCH-{XXXXXXXX}");
  await page.getByRole("button", { name: "Generate codes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Generated 500 codes" })).toBeVisible();

  // A CSV with one duplicate (line 4 repeats line 2) and one invalid row (line 5): both reported.
  await page.goto(bookPath);
  await page.getByRole("link", { name: "Upload CSV" }).click();
  const csv = ["code,status", `UP-${tag}-A`, `UP-${tag}-B`, `UP-${tag}-A`, "bad code!"].join("\n") + "\n";
  await page.getByLabel("CSV file").setInputFiles({ name: "codes.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Upload" }).click();
  const report = page.getByRole("region", { name: "Upload report" });
  await expect(report.getByTestId("uploaded-count")).toHaveText("2");
  await expect(report.getByTestId("duplicates-count")).toHaveText("1");
  await expect(report.getByTestId("invalid-count")).toHaveText("1");
  const rejected = report.getByRole("region", { name: "Rows not added" }).getByRole("row");
  await expect(rejected.filter({ hasText: "duplicate code in the file" })).toContainText("4");
  await expect(rejected.filter({ hasText: /bad code!/i })).toContainText("5");

  // Activate, then give a shopper a random code: the funnel counts one assigned.
  await page.goto(bookPath);
  const status = page.getByRole("group", { name: "Book status" });
  await status.getByRole("button", { name: "Activate" }).click();
  await expect(page.locator("h1 + p").getByText("ACTIVE", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Codes", exact: true }).click();
  const panel = page.getByRole("region", { name: "Assign a code" });
  await panel.getByLabel("Shopper's user id").fill(`shopper-${tag}`);
  await panel.getByRole("button", { name: "Assign" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Assigned" })).toContainText(`shopper-${tag}`);
  await page.goto(bookPath);
  expect(await funnelFigure(page, "codes")).toBe(502);
  expect(await funnelFigure(page, "assigned")).toBe(1);

  // An API key: it works, then, revoked, gets 401.
  await page.getByRole("navigation", { name: "Seller" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Create API key" }).click();
  const createDialog = page.getByRole("dialog", { name: "Create API key" });
  await createDialog.getByLabel("Name").fill(`journey-${tag}`);
  await createDialog.getByRole("button", { name: "Create key" }).click();
  const secretDialog = page.getByRole("dialog", { name: "Copy your new API key" });
  const secret = await secretDialog.getByLabel("API key", { exact: true }).inputValue();
  await secretDialog.getByRole("button", { name: "Done" }).click();
  const listBooks = apiRequest("get", "/api/coupon-books", { headers: { authorization: `Bearer ${secret}` } });
  const books = await send(request, listBooks);
  expect(books.status()).toBe(200);
  expect((await books.json()).data.map((b) => b.name)).toEqual([`Launch ${tag}`]);
  const row = page.getByRole("row").filter({ hasText: `journey-${tag}` });
  await row.getByRole("button", { name: `Revoke journey-${tag}` }).click();
  await page.getByRole("dialog", { name: `Revoke journey-${tag}?` }).getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked on");
  expect((await send(request, listBooks)).status()).toBe(401);

  // Sign out: the console is closed again.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/seller");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fseller/);
});
