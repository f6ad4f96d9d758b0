import { expect, test, type Page } from "@playwright/test";
import { checkPage, signIn } from "./support";

const QUANTITY = 200_000;
const progress = (page: Page) => page.getByRole("progressbar", { name: /^Generating 200,000 codes/ });

/**
 * Issue 11: 100,000+ codes with real progress. The run is a background job on the server; the page
 * polls its row. Leaving the page mid-run neither stops nor repeats it: back on the page, the same
 * run is still going (or done), and the book ends with exactly the codes asked for.
 */
test("200,000 codes generate in the background with progress; leaving the page neither cancels nor repeats the run", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "seller@demo.test");
  await page.goto("/seller/books/new");
  await page.getByLabel("Name", { exact: true }).fill(`Big run e2e ${Date.now()}`);
  await page.getByLabel("Percent off", { exact: true }).fill("5");
  await page.getByRole("button", { name: "Create book" }).click();
  await expect(page).toHaveURL(/\/seller\/books\/[0-9a-f-]{36}$/);
  const bookPath = new URL(page.url()).pathname;

  await page.goto(`${bookPath}/generate`);
  // The samples are drawn in the browser only: once they show, the form is hydrated and typing sticks
  // (typed before that, the server-rendered default and the typed text ended up joined).
  await expect(page.getByRole("list", { name: "Sample codes" })).toBeVisible();
  await page.getByLabel("Pattern").fill("BIG-{XXXXXXXX}");
  await page.getByLabel("How many codes").fill(String(QUANTITY));
  await page.getByRole("button", { name: "Generate codes" }).click();

  // Real progress: the bar moves past 0 before the run ends (10,000 codes a chunk).
  await expect(progress(page)).toBeVisible();
  await expect.poll(async () => Number(await progress(page).getAttribute("aria-valuenow")), { timeout: 60_000 }).toBeGreaterThan(0);
  const seen = Number(await progress(page).getAttribute("aria-valuenow"));
  expect(seen).toBeLessThan(QUANTITY);

  // Leave mid-run, come back: the run is still going (its bar no lower than before) or it ended.
  await page.getByRole("link", { name: /^←/ }).click();
  await expect(page).toHaveURL(new RegExp(`${bookPath}$`));
  await page.goto(`${bookPath}/generate`);
  const finishedRow = page.getByRole("region", { name: "Recent generation runs" }).getByRole("row").filter({ has: page.getByText("BIG-{XXXXXXXX}", { exact: true }) });
  await expect(progress(page).or(finishedRow)).toBeVisible();
  if (await progress(page).isVisible()) {
    expect(Number(await progress(page).getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(seen);
    await checkPage(page, "generate-progress", `${bookPath}/generate`, async (p) => {
      await expect(progress(p).or(finishedRow)).toBeVisible();
    });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  // One run, exactly 200,000 codes: the page, reloaded after the run ended, says so.
  await expect(async () => {
    await page.reload();
    await expect(finishedRow).toContainText("200,000");
  }).toPass({ timeout: 90_000 });
  await expect(finishedRow).toContainText("SUCCEEDED");
  await expect(page.getByRole("region", { name: "Recent generation runs" }).getByRole("row")).toHaveCount(2); // the header and one run
  await expect(page.getByText(`${QUANTITY.toLocaleString("en-US")} codes so far`)).toBeVisible();
});
