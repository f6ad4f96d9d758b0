import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createBook } from "./api";
import { checkPage, runTag, signIn } from "./support";

/** A CSV of about `bytes` bytes: a header, then distinct 64-character codes (few rows for the bytes, so the insert stays quick). */
function bigCsv(prefix: string, bytes: number): { csv: Buffer; rows: number } {
  const rows = Math.ceil(bytes / 65);
  const lines = ["code"];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${String(i).padStart(7, "0")}-`.padEnd(64, "X"));
  return { csv: Buffer.from(`${lines.join("\n")}\n`), rows };
}

/** Slows this page's network (Chromium's DevTools throttling, which XMLHttpRequest uploads obey); `null` lifts it. */
async function throttleUpload(page: Page, bytesPerSecond: number | null) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond ?? -1,
  });
}

/** Every aria-valuenow the upload's progress bar shows, recorded in the page as it changes (no polling gaps). */
async function recordProgress(page: Page) {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    const note = () => {
      const value = document.querySelector("#upload-progress")?.getAttribute("aria-valuenow");
      if (value !== null && value !== undefined && seen.at(-1) !== Number(value)) seen.push(Number(value));
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  return () => page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
}

const bookCodes = (page: Page) => page.locator("dl").getByText("Codes", { exact: true }).locator("..");

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
  const tag = runTag();
  const { id: bookId } = await createBook(page.request, { name: `E2E upload ${tag}`, codeKind: "UNIQUE" });

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
  const tag = runTag();
  const { id: bookId } = await createBook(page.request, { name: `E2E generic ${tag}`, codeKind: "GENERIC", code: `GEN${tag}` });
  await page.goto(`/seller/books/${bookId}/upload`);
  await expect(page.getByRole("status").filter({ hasText: "takes no uploaded codes" })).toBeVisible();
  await expect(page.getByLabel("CSV file")).toHaveCount(0);

  for (const path of ["/seller/books/not-a-uuid/upload", `/seller/books/${crypto.randomUUID()}/upload`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" }), path).toBeVisible();
  }
});

test("a large CSV shows its bytes going out on a progress bar that rises before the upload completes", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "seller@demo.test");
  const tag = runTag();
  const { id: bookId } = await createBook(page.request, { name: `E2E progress ${tag}`, codeKind: "UNIQUE" });
  const { csv, rows } = bigCsv(`PR${tag}`, 3 * 1024 * 1024);

  await page.goto(`/seller/books/${bookId}/upload`);
  await page.getByLabel("CSV file").setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: csv });
  const progressSeen = await recordProgress(page);
  // 3 MB at 512 KB/s: about six seconds of upload progress events.
  await throttleUpload(page, 512 * 1024);
  await page.getByRole("button", { name: "Upload" }).click();

  const bar = page.getByRole("progressbar", { name: "Sending the file" });
  await expect(bar).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel" })).toBeVisible();
  await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 20_000 }).toBeGreaterThanOrEqual(30);
  await page.screenshot({ path: "test-results/screenshots/upload-progress-1280.png" });

  const report = page.getByRole("region", { name: "Upload report" });
  await expect(report).toBeVisible({ timeout: 90_000 });
  await expect(report.getByTestId("uploaded-count")).toHaveText(rows.toLocaleString("en-US"));
  const seen = await progressSeen();
  // Several readings between 0 and 100, each higher than the one before: bytes, not a spinner.
  expect(seen.filter((v) => v > 0 && v < 100).length, seen.join(",")).toBeGreaterThanOrEqual(5);
  expect(seen, seen.join(",")).toEqual([...seen].sort((a, b) => a - b));
  await throttleUpload(page, null);
  await page.goto(`/seller/books/${bookId}`);
  await expect(bookCodes(page)).toHaveText(`Codes${rows.toLocaleString("en-US")}`);
});

test("Cancel stops an upload midway: the page says so and the book gets none of its codes", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "seller@demo.test");
  const tag = runTag();
  const { id: bookId } = await createBook(page.request, { name: `E2E cancel ${tag}`, codeKind: "UNIQUE" });
  const { csv } = bigCsv(`CA${tag}`, 2 * 1024 * 1024);

  await page.goto(`/seller/books/${bookId}/upload`);
  await page.getByLabel("CSV file").setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: csv });
  await throttleUpload(page, 128 * 1024);
  await page.getByRole("button", { name: "Upload" }).click();
  const bar = page.getByRole("progressbar", { name: "Sending the file" });
  // Part of the file has reached the server (and its rows the transaction) when Cancel is pressed.
  await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
  expect(Number(await bar.getAttribute("aria-valuenow"))).toBeLessThan(100);
  await page.getByRole("button", { name: "Cancel" }).click();

  await expect(page.getByRole("status").filter({ hasText: "Upload cancelled: nothing was added." })).toBeVisible();
  await expect(bar).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Upload" })).toBeEnabled();
  await lookAtCurrentState(page, "upload-cancelled");

  // The form works again, and the book holds only the two codes of the next upload: the cancelled
  // request's transaction (which had the book row locked) was rolled back, not committed half-read.
  await throttleUpload(page, null);
  await page.getByLabel("CSV file").setInputFiles({ name: "two.csv", mimeType: "text/csv", buffer: Buffer.from(`CA${tag}-ONE\nCA${tag}-TWO\n`) });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("region", { name: "Upload report" }).getByTestId("uploaded-count")).toHaveText("2");
  await page.goto(`/seller/books/${bookId}`);
  await expect(bookCodes(page)).toHaveText("Codes2");
  await page.goto(`/seller/books/${bookId}/upload`);
  await expect(page.getByText("2 codes so far")).toBeVisible();
});
