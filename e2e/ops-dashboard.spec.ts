import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, test, type Page } from "@playwright/test";
import { createDb } from "@/db/client";
import { businesses, couponCodes } from "@/db/schema";
import { createBook } from "@/lib/coupons/create-book";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { CreateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import { apiRequest } from "@/testing/api/client";
import { send } from "./api";
import { checkPage, signIn } from "./support";

const INTERNAL_TOKEN = process.env.INTERNAL_API_TOKEN ?? "e2e-only-internal-token-0123456789";
const INTERNAL = { authorization: `Bearer ${INTERNAL_TOKEN}` };
const META = { ip: null, userAgent: "e2e" };
const SYSTEM = { kind: "internal" } as const;

/**
 * A seller of this run only, so the dashboard narrowed to it (`?businessId=`) counts exactly the
 * traffic this spec makes, whatever the other specs do on the same database meanwhile. With a book
 * (20 % off, codes `OPS<run>-XXXXXX`) when asked; the seller's codes are read back for the redeem.
 */
async function freshSeller(label: string, withBook: boolean) {
  const { db, client } = createDb(process.env.DATABASE_URL!, { max: 2 });
  try {
    const run = randomUUID().replaceAll("-", "").slice(0, 6).toUpperCase();
    const [business] = await db.insert(businesses).values({ name: `E2E ${label} ${run}` }).returning();
    if (!withBook) return { businessId: business!.id, name: business!.name, book: null };
    const input = CreateBookInput.parse({ businessId: business!.id, name: `Ops watch ${run}`, discountType: "PERCENT", discountValue: 20, currency: "USD" });
    const book = await createBook(db, SYSTEM, input, META);
    await generateCodes(db, SYSTEM, { couponBookId: book.id, quantity: 2, pattern: `OPS${run}-{XXXXXX}` }, META);
    await updateBook(db, SYSTEM, book.id, { status: "ACTIVE" }, META);
    const codes = await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, book.id));
    return { businessId: business!.id, name: business!.name, book: { id: book.id, name: book.name, prefix: `OPS${run}-`, code: codes[0]!.code } };
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** A KPI tile's figure as a number ("1,234" → 1234; "25.0%" → 25). */
async function kpi(page: Page, id: string): Promise<number> {
  const text = await page.getByTestId(`kpi-${id}`).getByTestId("kpi-value").innerText();
  return Number(text.replace(/[,%$]/g, ""));
}

async function redeem(page: Page, businessId: string, body: { userId: string; code: string; checkoutId: string }) {
  const response = await page.request.post("/api/internal/promo/redeem", {
    headers: INTERNAL,
    data: { ...body, cart: { currency: "USD", items: [{ sku: "tee", businessId, unitPrice: 2500, quantity: 2 }] } },
  });
  return (await response.json()) as { result: string };
}

test("ops land on the dashboard; the traffic this test makes shows after a refresh, exactly; windows, filters and a pause", async ({ page }) => {
  test.setTimeout(180_000);
  const seller = await freshSeller("Ops dashboard", true);
  const book = seller.book!;
  const scoped = `/ops?businessId=${seller.businessId}`;

  await signIn(page, "ops@demo.test");
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.getByRole("heading", { level: 1, name: "Promo health" })).toBeVisible();

  await page.goto(scoped);
  await expect(page.getByText(`Last 24 hours · ${seller.name}`)).toBeVisible();
  await expect(page.getByLabel("Seller", { exact: true })).toHaveValue(seller.businessId);
  expect(await kpi(page, "attempts")).toBe(0);
  await expect(page.getByRole("heading", { name: "Nothing needs a look" })).toBeVisible();

  // Traffic through the internal API: one accepted redeem of a real code, and three INVALID
  // attempts of unknown codes under the book's prefix, one of them from two shoppers (a candidate).
  const run = randomUUID().slice(0, 8);
  const checkoutId = `e2e-ops-${run}`;
  expect(await redeem(page, seller.businessId, { userId: `e2e-ops-buyer-${run}`, code: book.code, checkoutId })).toMatchObject({ result: "ACCEPTED" });
  const guessed = `${book.prefix}ZZZZZ0`;
  for (const [userId, code] of [
    [`e2e-ops-guesser-a-${run}`, guessed],
    [`e2e-ops-guesser-b-${run}`, guessed],
    [`e2e-ops-guesser-a-${run}`, `${book.prefix}ZZZZZ1`],
  ] as const) {
    expect(await redeem(page, seller.businessId, { userId, code, checkoutId: `e2e-ops-guess-${run}-${userId}-${code}` })).toMatchObject({ result: "INVALID" });
  }

  // The page has not moved; Refresh reads the API again (the client query, no reload).
  expect(await kpi(page, "attempts")).toBe(0);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect.poll(() => kpi(page, "attempts")).toBe(4);
  expect(await kpi(page, "acceptance")).toBe(25);
  await expect(page.getByTestId("kpi-conversion")).toContainText("0 of 1 reservation applied");
  await expect(page.getByRole("figure", { name: "Failure mix" })).toContainText("3 failed attempts, 75.0% of all attempts");
  await expect(page.getByRole("figure", { name: /^Reservations/ })).toContainText("1 still open");
  await expect(page.getByRole("region", { name: "Code hashes over the rule in this window" }).getByRole("row")).toHaveCount(2);
  const candidate = page.getByRole("region", { name: "Code hashes over the rule in this window" }).getByRole("row").nth(1);
  await expect(candidate).toContainText(book.prefix);
  await expect(candidate).toContainText(book.name);
  await expect(candidate.getByRole("cell").nth(4)).toHaveText("2"); // failures
  await expect(candidate.getByRole("cell").nth(5)).toHaveText("2"); // shoppers
  // A hash head only: 12 hex characters and an ellipsis, never the code.
  await expect(candidate.getByRole("cell").first()).toHaveText(/^[0-9a-f]{12}…$/);
  await expect(page.getByText(guessed)).toHaveCount(0);
  await expect(candidate.getByRole("link", { name: book.name })).toHaveAttribute("href", `/ops/campaigns?businessId=${seller.businessId}&q=${encodeURIComponent(book.name).replaceAll("%20", "+")}`);
  await expect(page.getByRole("heading", { name: /things? to look at/ })).toBeVisible();

  // The order is paid: the reservation is applied, and the discount (20 % of $50.00) granted.
  const applied = await page.request.post("/api/internal/promo/apply", { headers: INTERNAL, data: { checkoutId, orderId: `e2e-ops-order-${run}` } });
  expect(applied.status(), await applied.text()).toBe(200);
  // Ops pause the campaign with a reason, through the API their session may call (resumed at the end).
  const paused = await send(page.request, apiRequest("post", "/api/internal/promo/campaigns/{id}/status", { path: { id: book.id }, body: { status: "PAUSED", reason: `E2E ${run}: codes posted on a forum` } }));
  expect(paused.status(), await paused.text()).toBe(200);
  await page.reload();
  expect(await kpi(page, "conversion")).toBe(100);
  await expect(page.getByTestId("kpi-discount")).toContainText("$10.00");
  const pausedRow = page.getByRole("region", { name: "Paused campaigns: who, why and when" }).getByRole("row").filter({ hasText: book.name });
  await expect(pausedRow).toContainText("ops@demo.test");
  await expect(pausedRow).toContainText(`E2E ${run}: codes posted on a forum`);
  await expect(pausedRow.getByRole("link", { name: `Safe unpause of ${book.name}` })).toHaveAttribute("href", `/ops/campaigns/${book.id}/unpause`);

  // Windows: links that keep the seller; each window counts the same traffic; a bad one falls back.
  await page.getByRole("navigation", { name: "Window" }).getByRole("link", { name: "7d" }).click();
  await expect(page).toHaveURL(new RegExp(`/ops\\?window=7d&businessId=${seller.businessId}$`));
  await expect(page.getByRole("link", { name: "7d" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText(`Last 7 days · ${seller.name}`)).toBeVisible();
  expect(await kpi(page, "attempts")).toBe(4);
  await page.getByRole("link", { name: "1h" }).click();
  await expect(page.getByText(`Last hour · ${seller.name}`)).toBeVisible();
  expect(await kpi(page, "attempts")).toBe(4);
  const bad = await page.goto(`/ops?window=forever&businessId=${seller.businessId}`);
  expect(bad!.status()).toBe(200);
  await expect(page.getByText(`Last 24 hours · ${seller.name}`)).toBeVisible();
  await expect(page.getByText("Ignored from the address: window “forever” (showing 24h).")).toBeVisible();
  await page.goto("/ops?businessId=not-a-seller");
  await expect(page.getByText("Last 24 hours · All sellers")).toBeVisible();

  // The seller filter is a form: from one seller's last hour back to all sellers, keeping the window.
  await page.goto(`/ops?window=1h&businessId=${seller.businessId}`);
  await page.getByLabel("Seller", { exact: true }).selectOption("");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("Last hour · All sellers")).toBeVisible();
  await expect(page).toHaveURL(/\/ops\?window=1h&businessId=$/);

  const resumed = await send(page.request, apiRequest("post", "/api/internal/promo/campaigns/{id}/status", { path: { id: book.id }, body: { status: "ACTIVE", reason: `E2E ${run}: done` } }));
  expect(resumed.status(), await resumed.text()).toBe(200);
});

test("the page checks: all sellers over 24 hours (the demo traffic), and a seller with no traffic over 7 days", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "ops@demo.test");
  await checkPage(page, "ops-dashboard-24h", "/ops", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Promo health" })).toBeVisible();
    await expect(p.getByRole("figure", { name: "Attempts by result (UTC)" })).toBeVisible();
    // The demo seed's traffic: the page is drawn with data, not only frames.
    expect(await kpi(p, "attempts")).toBeGreaterThan(0);
  });
  const quiet = await freshSeller("Quiet", false);
  await checkPage(page, "ops-dashboard-empty-7d", `/ops?window=7d&businessId=${quiet.businessId}`, async (p) => {
    await expect(p.getByText(`Last 7 days · ${quiet.name}`)).toBeVisible();
    await expect(p.getByText("No promo traffic in this window")).toBeVisible();
    await expect(p.getByRole("figure", { name: "Attempts by result (UTC)" })).toContainText("No attempts in this window.");
    await expect(p.getByText("No code hash over the rule in this window.")).toBeVisible();
    expect(await kpi(p, "attempts")).toBe(0);
  });
});

test("auto-refresh every 30 s while the tab is visible, none while it is hidden", async ({ page }) => {
  test.setTimeout(120_000);
  const seller = await freshSeller("Ops refresh", false);
  await signIn(page, "ops@demo.test");
  const reads: string[] = [];
  const readAt: number[] = [];
  page.on("request", (request) => {
    if (!request.url().includes("/api/internal/promo/dashboard")) return;
    reads.push(request.url());
    readAt.push(Date.now());
  });
  // The installed clock keeps flowing until runFor moves it: on a loaded machine the first interval
  // (30 s) can come due before the checks below, and that read is the timer's, not the first paint's.
  await page.clock.install();
  const opened = Date.now();
  await page.goto(`/ops?window=1h&businessId=${seller.businessId}`);
  await expect(page.getByTestId("ops-dashboard")).toBeVisible();
  // Hydrated (the button works and the timer runs); the first paint came from the server, so nothing was read for it.
  await expect(page.getByRole("button", { name: "Refresh" })).toBeEnabled();
  await expect(page.getByText("refreshed every 30 s while this tab is open")).toBeVisible();
  expect(readAt.filter((at) => at - opened < 29_000), "reads before the first 30 s interval").toEqual([]);

  await page.clock.runFor(31_000);
  await expect.poll(() => reads.length).toBeGreaterThanOrEqual(1);
  expect(reads[0]).toContain(`window=1h&businessId=${seller.businessId}`);

  const setVisibility = (state: "hidden" | "visible") =>
    page.evaluate((value) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
      Object.defineProperty(document, "hidden", { configurable: true, get: () => value === "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
      window.dispatchEvent(new Event("visibilitychange"));
    }, state);

  await setVisibility("hidden");
  // Let a read already in flight land before counting.
  await page.waitForTimeout(1_000);
  const whileVisible = reads.length;
  await page.clock.runFor(125_000); // four intervals
  await page.waitForTimeout(2_000);
  expect(reads.length, "no read while the tab is hidden").toBe(whileVisible);

  await setVisibility("visible");
  await page.clock.runFor(31_000);
  await expect.poll(() => reads.length).toBeGreaterThan(whileVisible);
});

test("a failed refresh keeps the last figures on screen and says so", async ({ page }) => {
  test.setTimeout(120_000);
  const seller = await freshSeller("Ops outage", false);
  await signIn(page, "ops@demo.test");
  await page.goto(`/ops?businessId=${seller.businessId}`);
  await expect(page.getByRole("button", { name: "Refresh" })).toBeEnabled();
  const asOf = await page.locator("time").first().innerText();
  await page.route("**/api/internal/promo/dashboard**", (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: "Service unavailable", code: "UNAVAILABLE" }) }));
  await page.getByRole("button", { name: "Refresh" }).click();
  // Retried twice (a 5xx is a hiccup), then reported.
  const stale = page.getByRole("alert").filter({ hasText: "These are still the figures" });
  await expect(stale).toContainText("failed (Service unavailable)", { timeout: 30_000 });
  await expect(stale).toContainText(`These are still the figures as of ${asOf}`);
  expect(await kpi(page, "attempts")).toBe(0);
  await expect(page.getByRole("figure", { name: "Attempts by result (UTC)" })).toBeVisible();

  await page.unroute("**/api/internal/promo/dashboard**");
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(stale).toHaveCount(0);
});

for (const email of ["seller@demo.test", "shopper@demo.test"]) {
  test(`${email.split("@")[0]} gets no /ops page`, async ({ page }) => {
    await signIn(page, email);
    const response = await page.goto("/ops?window=1h");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fops&reason=forbidden$/);
    await expect(page.getByText("The ops console is for the ops team. Sign in with an ops account.")).toBeVisible();
    expect(response!.status()).toBeLessThan(500);
    await expect(page.getByRole("heading", { name: "Promo health" })).toHaveCount(0);
    const api = await send(page.request, apiRequest("get", "/api/internal/promo/dashboard", { query: { window: "1h" } }));
    expect(api.status()).toBe(403);
  });
}
