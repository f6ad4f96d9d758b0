import { expect, test, type Page } from "@playwright/test";
import { createActiveBook } from "./api";
import { checkPage, funnelFigure, runTag, signIn } from "./support";

const codesTable = (page: Page) => page.getByRole("region", { name: "Codes" });
/** The codes of the table's rows, in order (the header row has none). */
async function shownCodes(page: Page): Promise<string[]> {
  return (await codesTable(page).locator("tbody tr td:nth-child(2)").allInnerTexts()).map((text) => text.trim());
}

async function filter(page: Page, options: { status?: string; q?: string }) {
  const form = page.getByRole("search", { name: "Filter codes" });
  if (options.status !== undefined) await form.getByLabel("Status").selectOption(options.status);
  if (options.q !== undefined) await form.getByLabel("Code starts with").fill(options.q);
  await form.getByRole("button", { name: "Apply" }).click();
}

/**
 * The demo seller's codes table of a book of its own (so that no other spec, on the other worker,
 * pauses it or assigns from it meanwhile): filter, search, disable and enable two codes, assign a
 * random code, and see the book's funnel count it.
 */
test("a seller filters, searches, disables and enables codes, and assigns one to a shopper", async ({ page }) => {
  test.setTimeout(150_000); // many steps and two page checks: about a minute on the 2-core CI
  await signIn(page, "seller@demo.test");
  const name = `E2E codes ${runTag()}`;
  // Two families of codes, so that a search by prefix has something to leave out.
  const book = await createActiveBook(page.request, { name }, [
    { pattern: "TBLA-{XXXXXXXX}", quantity: 20 },
    { pattern: "TBLB-{XXXXXXXX}", quantity: 20 },
  ]);

  const bookPath = `/seller/books/${book.id}`;
  await page.goto(bookPath);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  expect(await funnelFigure(page, "assigned")).toBe(0);

  await page.getByRole("link", { name: "Codes", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Codes of ${name}` })).toBeVisible();
  const codesPath = new URL(page.url()).pathname;
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /\/api\/coupon-books\/[0-9a-f-]{36}\/codes\.csv$/);

  await filter(page, { status: "AVAILABLE" });
  await expect(page).toHaveURL(/status=AVAILABLE/);
  await expect(codesTable(page).getByText("ASSIGNED", { exact: true })).toHaveCount(0);
  expect(await shownCodes(page)).toHaveLength(40);

  // The search is by prefix, in any case.
  await filter(page, { q: "tbla" });
  await expect(page).toHaveURL(/q=tbla/i);
  await expect(codesTable(page).locator("tbody tr")).toHaveCount(20);
  const found = await shownCodes(page);
  expect(found.every((code) => code.startsWith("TBLA-"))).toBe(true);
  const two = found.slice(0, 2);

  for (const code of two) await page.getByRole("checkbox", { name: `Select ${code}` }).check();
  await expect(page.getByText("2 selected")).toBeVisible();
  await page.getByRole("button", { name: "Disable selected" }).click();
  await expect(page.getByText(/Disabled: 2 updated · 0 unchanged · 0 not found/)).toBeVisible();
  // They left the AVAILABLE list; under DISABLED they are there.
  await expect(codesTable(page).getByText(two[0]!, { exact: true })).toHaveCount(0);
  await filter(page, { status: "DISABLED" });
  for (const code of two) await expect(codesTable(page).getByRole("row").filter({ hasText: code })).toContainText("DISABLED");

  for (const code of two) await page.getByRole("checkbox", { name: `Select ${code}` }).check();
  await page.getByRole("button", { name: "Enable selected" }).click();
  await expect(page.getByText(/Enabled: 2 updated/)).toBeVisible();

  // A random code for a new shopper: shown inline, then counted in the book's funnel.
  const shopper = `e2e-shopper-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await page.goto(codesPath);
  const panel = page.getByRole("region", { name: "Assign a code" });
  await panel.getByLabel("Shopper's user id").fill(shopper);
  await expect(panel.getByLabel("A random available code")).toBeChecked();
  await panel.getByRole("button", { name: "Assign" }).click();
  const result = panel.getByRole("status").filter({ hasText: "Assigned" });
  await expect(result).toContainText(shopper);
  const assignedCode = (await result.locator("code").innerText()).trim();
  expect(assignedCode).toMatch(/^[A-Z0-9_-]{3,64}$/);

  // The same shopper again: the API's per-shopper rule answers, shown as it says it.
  await panel.getByRole("button", { name: "Assign" }).click();
  await expect(panel.getByRole("alert")).toContainText("MAX_CODES_PER_USER_REACHED");

  await page.goto(`${codesPath}?status=ASSIGNED&q=${assignedCode}`);
  await expect(codesTable(page).getByRole("row").filter({ hasText: assignedCode })).toContainText(shopper);

  await page.goto(bookPath);
  expect(await funnelFigure(page, "assigned")).toBe(1);

  await checkPage(page, "codes", codesPath, async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: `Codes of ${name}` })).toBeVisible();
    await expect(codesTable(p).getByRole("row").nth(1)).toBeVisible();
  });
});

test("another business's book has no codes page", async ({ page }) => {
  await signIn(page, "seller@demo.test");
  for (const path of ["/seller/books/00000000-0000-4000-8000-000000000000/codes", "/seller/books/not-a-uuid/codes"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});
