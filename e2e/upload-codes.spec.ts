import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { checkPage, signIn } from "./support";

const run = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();

async function createBook(page: Page, data: Record<string, unknown>): Promise<string> {
  const created = await page.request.post("/api/coupon-books", { data: { discountType: "PERCENT", discountValue: 10, ...data } });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

/** The page as it is now (no reload: the report lives in the browser): axe, no sideways scroll at 390 px, screenshots. */
async function lookAtCurrentState(page: Page, name: string) {
  for (const width of [1280, 390] as const) {
    await page.setViewportSize({ width, height: 800 });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), `${name} at ${width} px`).toEqual([]);
    if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}: no horizontal scroll`).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: true });
  }
}

/**
 * Issue 11's acceptance step: the seller uploads a CSV with one duplicate and one invalid row to a
 * fresh UNIQUE book and sees both reported, with line numbers, and downloads the report.
 */
test("a seller uploads a CSV of codes and sees the duplicate and the invalid row reported", async ({ page }) => {
  await signIn(page, "seller@demo.test");
  const tag = run();
  const bookId = await createBook(page, { name: `E2E upload ${tag}`, codeKind: "UNIQUE" });

  // The book page links to the upload page.
  await page.goto(`/seller/books/${bookId}`);
  await page.getByRole("link", { name: "Upload CSV" }).click();
  await expect(page).toHaveURL(new RegExp(`/seller/books/${bookId}/upload$`));

  const path = `/seller/books/${bookId}/upload`;
  await checkPage(page, "upload", path, async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Upload codes" })).toBeVisible();
    await expect(p.getByLabel("CSV file")).toBeVisible();
  });

  // Line 1 header, 2–3 good, 4 repeats line 2, 5 is invalid, 6 good (disabled).
  const csv = ["code,status", `UP${tag}A`, `UP${tag}B,available`, `UP${tag}A`, "bad code!", `UP${tag}C,disabled`].join("\n") + "\n";
  await page.getByLabel("CSV file").setInputFiles({ name: "codes.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Upload" }).click();

  const report = page.getByRole("region", { name: "Upload report" });
  await expect(report).toBeVisible();
  await expect(report.getByTestId("uploaded-count")).toHaveText("3");
  await expect(report.getByTestId("duplicates-count")).toHaveText("1");
  await expect(report.getByTestId("invalid-count")).toHaveText("1");
  const rows = report.getByRole("region", { name: "Rows not added" }).getByRole("row");
  await expect(rows.filter({ hasText: "duplicate code in the file" })).toContainText("4");
  await expect(rows.filter({ hasText: "BAD CODE!" }).or(rows.filter({ hasText: "bad code!" }))).toContainText("5");

  const [download] = await Promise.all([page.waitForEvent("download"), report.getByRole("button", { name: "Download the report (CSV)" }).click()]);
  expect(download.suggestedFilename()).toBe("codes-report.csv");
  const saved = await readFile(await download.path());
  const lines = saved.toString("utf8").trim().split(/\r\n/);
  expect(lines[0]).toBe("line,code,message");
  expect(lines.some((line) => /^5,bad code!,/i.test(line)), lines.join("\n")).toBe(true);
  expect(lines.some((line) => line.startsWith(`4,UP${tag}A,duplicate code in the file`)), lines.join("\n")).toBe(true);

  await lookAtCurrentState(page, "upload-report");

  // The book now counts the uploaded codes.
  await page.getByRole("link", { name: `← E2E upload ${tag}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `E2E upload ${tag}` })).toBeVisible();
  await expect(page.locator("dl").getByText("Codes", { exact: true }).locator("..")).toHaveText("Codes3");
});

test("a GENERIC book's upload page says why it takes no codes; a malformed or unknown id is a 404", async ({ page }) => {
  await signIn(page, "seller@demo.test");
  const tag = run();
  const bookId = await createBook(page, { name: `E2E generic ${tag}`, codeKind: "GENERIC", code: `GEN${tag}` });
  await page.goto(`/seller/books/${bookId}/upload`);
  await expect(page.getByRole("status").filter({ hasText: "takes no uploaded codes" })).toBeVisible();
  await expect(page.getByLabel("CSV file")).toHaveCount(0);

  for (const path of ["/seller/books/not-a-uuid/upload", `/seller/books/${crypto.randomUUID()}/upload`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" }), path).toBeVisible();
  }
});
