import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { businesses, couponCodes, users } from "@/db/schema";
import { createBook } from "@/lib/coupons/create-book";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { CreateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import { DEMO_BUSINESS } from "@/lib/demo/seed";
import { shopDb } from "./shop-fixtures";
import { checkPage, signIn } from "./support";

const INTERNAL_TOKEN = process.env.INTERNAL_API_TOKEN ?? "e2e-only-internal-token-0123456789";
const META = { ip: null, userAgent: "e2e" };

/**
 * A campaign of Demo Shop made for this run through the seller's services (so parallel specs never
 * touch it): ACTIVE, five generated codes under a prefix of its own, 100 uses at most.
 */
async function campaignForTest() {
  const { db, client } = shopDb();
  try {
    const [business] = await db.select({ id: businesses.id }).from(businesses).where(eq(businesses.name, DEMO_BUSINESS));
    const [seller] = await db.select({ id: users.id }).from(users).where(eq(users.email, "seller@demo.test"));
    const actor = { kind: "user", role: "seller", userId: seller!.id, businessId: business!.id } as const;
    const run = randomUUID().replaceAll("-", "").slice(0, 6).toUpperCase();
    const name = `E2E ops ${run}`;
    const prefix = `OPS${run}-`;
    const book = await createBook(db, actor, CreateBookInput.parse({ name, discountType: "PERCENT", discountValue: 15, currency: "USD", maxTotalRedemptions: 100 }), META);
    await generateCodes(db, actor, { couponBookId: book.id, quantity: 5, pattern: `${prefix}{XXXXXXXX}` }, META);
    await updateBook(db, actor, book.id, { status: "ACTIVE" }, META);
    const [code] = await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, book.id)).limit(1);
    return { id: book.id, name, prefix, businessId: business!.id, code: code!.code };
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * Signed in as ops, once the client has arrived on the ops landing page: the header shows the
 * session on /login already, and a goto issued while the router still moves on to /ops is aborted.
 */
async function signInAsOps(page: Page) {
  await signIn(page, "ops@demo.test");
  await page.waitForURL((url) => url.pathname === "/ops");
  await page.waitForLoadState("load");
}

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/*
 * The incident story on one campaign made for this run, step by step (serial: each step starts from
 * where the previous one left the campaign; a failed step skips the rest). Each step has its own
 * time budget: on the loaded 2-core machine a page check (axe at two widths) takes up to a minute.
 */
test.describe.serial("an incident on one campaign", () => {
  let campaign: Awaited<ReturnType<typeof campaignForTest>>;
  const reason = () => `Guessing burst on ${campaign.prefix} (e2e)`;
  const cardOf = (page: Page) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: campaign.name }) });

  test.beforeAll(async () => {
    campaign = await campaignForTest();
  });

  test.beforeEach(({}, testInfo) => {
    testInfo.setTimeout(180_000);
  });

  test("ops pause it from the list with a reason; the seller console shows the pause by ops", async ({ page, browser }) => {
    await signInAsOps(page);
    // The list, filtered to this run's campaign: usage bar against the cap, Pause with a required reason.
    await page.goto(`/ops/campaigns?q=${encodeURIComponent(campaign.name)}`);
    const card = cardOf(page);
    await expect(card).toBeVisible();
    await expect(card).toContainText("0 of 100 uses (0%)");
    await expect(card.getByText("ACTIVE", { exact: true })).toBeVisible();

    await card.getByRole("button", { name: `Pause ${campaign.name}` }).click();
    const dialog = page.getByRole("dialog", { name: "Pause this campaign?" });
    await dialog.getByRole("button", { name: "Pause campaign" }).click();
    await expect(dialog.getByText(/Give a reason/)).toBeVisible();
    await dialog.getByLabel("Reason").fill(reason());
    await dialog.getByRole("button", { name: "Pause campaign" }).click();
    await expect(page.getByText(`“${campaign.name}” paused`)).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(card.getByText("PAUSED", { exact: true })).toBeVisible();
    await expect(card.getByText(/paused by ops:/)).toBeVisible();

    // Traffic after the pause: a guessed code under the campaign's prefix, refused and attributed to it.
    const guess = await page.request.post("/api/internal/promo/redeem", {
      headers: { authorization: `Bearer ${INTERNAL_TOKEN}` },
      data: {
        userId: `e2e-ops-guesser-${campaign.prefix}`,
        code: `${campaign.prefix}ZZZZZZZZ`,
        checkoutId: `e2e-ops-${randomUUID()}`,
        cart: { currency: "USD", items: [{ sku: "tee", businessId: campaign.businessId, unitPrice: 2500, quantity: 1 }] },
      },
    });
    expect(((await guess.json()) as { result: string }).result).toBe("INVALID");

    // The seller, in a browser of their own, sees the pause by ops with the operator's reason.
    const seller = await signedIn(browser, "seller@demo.test");
    await seller.goto(`/seller/books/${campaign.id}`);
    await expect(seller.getByText(/Paused by ops \(ops:/)).toBeVisible();
    await expect(seller.getByText(reason())).toBeVisible();
    await seller.context().close();

    // Campaigns of every "E2E ops" run, five a page: this one PAUSED, earlier runs' ACTIVE, and the pager.
    await checkPage(page, "ops-campaigns", "/ops/campaigns?q=E2E%20ops&limit=5", async (p) => {
      await expect(p.getByRole("heading", { level: 1, name: "Campaigns" })).toBeVisible();
      await expect(cardOf(p)).toBeVisible();
    });
  });

  test("ops run the safe unpause: who paused and why, the attempts since, the checks; the seller sees it ACTIVE again", async ({ page, browser }) => {
    await signInAsOps(page);
    await page.goto(`/ops/campaigns?q=${encodeURIComponent(campaign.name)}`);
    await cardOf(page).getByRole("link", { name: `Safe unpause ${campaign.name}` }).click();
    await expect(page).toHaveURL(new RegExp(`/ops/campaigns/${campaign.id}/unpause$`));
    const record = page.getByRole("region", { name: "Who paused it and why" });
    await expect(record).toContainText("Demo Ops (ops:");
    await expect(record).toContainText(reason());
    await expect(page.getByRole("region", { name: "Attempts since the pause by result" }).getByRole("row").filter({ hasText: "INVALID" })).toBeVisible();
    await expect(page.getByRole("region", { name: "1. Verify the campaign's metadata" })).toContainText("Unique codes, 15% off");

    await checkPage(page, "ops-unpause", `/ops/campaigns/${campaign.id}/unpause`, async (p) => {
      await expect(p.getByRole("heading", { name: "Confirm the unpause" })).toBeVisible();
      await expect(p.getByRole("region", { name: "Attempts since the pause by result" })).toBeVisible();
    });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Nothing ticked: every check and the reason are asked for, and nothing changes.
    await page.getByRole("button", { name: "Unpause campaign" }).click();
    await expect(page.getByText("Verify the campaign's metadata first")).toBeVisible();
    await expect(page.getByText("Make sure the abuse burst is over first")).toBeVisible();
    await page.getByLabel("I verified the campaign's metadata").check();
    await page.getByLabel("The abuse burst is no longer active").check();
    await page.getByLabel(/I will monitor the campaign/).check();
    await page.getByLabel("Reason for the unpause").fill("False positive: the guesses came from one test shopper (e2e)");
    await page.getByRole("button", { name: "Unpause campaign" }).click();
    await expect(page.getByText(`“${campaign.name}” is ACTIVE again.`)).toBeVisible();
    await expect(page.getByRole("link", { name: "Monitor on the dashboard" })).toHaveAttribute("href", "/ops");
    await expect(page.getByRole("button", { name: "Unpause campaign" })).toHaveCount(0);

    const seller = await signedIn(browser, "seller@demo.test");
    await seller.goto(`/seller/books/${campaign.id}`);
    await expect(seller.locator("h1 + p").getByText("ACTIVE", { exact: true })).toBeVisible();
    await expect(seller.getByText(/Paused by ops/)).toHaveCount(0);
    await seller.context().close();

    await checkPage(page, "ops-unpaused", `/ops/campaigns/${campaign.id}/unpause`, async (p) => {
      await expect(p.getByRole("heading", { name: "Attempts since the unpause" })).toBeVisible();
    });
  });

  test("ops disable a pasted code and enable it back, seeing the API's counts; the whole campaign asks first", async ({ page }) => {
    await signInAsOps(page);
    await page.goto(`/ops/campaigns?q=${encodeURIComponent(campaign.name)}`);
    await cardOf(page).getByRole("link", { name: `Codes of ${campaign.name}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: campaign.name })).toBeVisible();

    // Typed in lower case, with one entry that is no code of the campaign.
    await page.getByLabel("Codes", { exact: true }).fill(`${campaign.code.toLowerCase()}\n${campaign.prefix}NOPE0000`);
    await page.getByLabel("Reason", { exact: true }).fill("Leaked on a forum (e2e)");
    await page.getByRole("button", { name: "Disable codes" }).click();
    const outcome = page.getByRole("status", { name: "Result of the last change" });
    await expect(outcome).toContainText("Disabled: 1 updated · 0 unchanged · 1 not found");
    await expect(outcome).toContainText(`Not codes of this campaign: ${campaign.prefix}NOPE0000`);
    await expect(page.getByRole("region", { name: "Metadata" })).toContainText("1 disabled");
    await page.getByRole("button", { name: "Enable codes" }).click();
    await expect(outcome).toContainText("Enabled: 1 updated · 0 unchanged · 1 not found");
    await expect(page.getByRole("region", { name: "Metadata" })).toContainText("0 disabled");

    // The whole campaign asks first; cancelling changes nothing.
    await page.getByLabel(/Every code of the campaign/).check();
    await page.getByRole("button", { name: "Disable every code" }).click();
    const confirm = page.getByRole("dialog", { name: "Disable every code?" });
    await expect(confirm).toContainText("All 5 codes");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByRole("region", { name: "Metadata" })).toContainText("0 disabled");

    await checkPage(page, "ops-campaign", `/ops/campaigns/${campaign.id}`, async (p) => {
      await expect(p.getByRole("heading", { name: "Disable or enable codes" })).toBeVisible();
    });
  });
});

test("an unknown or malformed campaign id is the not-found page", async ({ page }) => {
  await signInAsOps(page);
  for (const path of [`/ops/campaigns/${randomUUID()}/unpause`, "/ops/campaigns/not-a-uuid/unpause", `/ops/campaigns/${randomUUID()}`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

test("an invalid filter says so instead of failing", async ({ page }) => {
  await signInAsOps(page);
  await page.goto("/ops/campaigns?status=SLEEPING&validity=someday");
  const alert = page.getByRole("alert").filter({ hasText: "These filters cannot be applied" });
  await expect(alert).toContainText("Status “SLEEPING”");
  await expect(alert).toContainText("Validity “someday”");
});

for (const email of ["seller@demo.test", "shopper@demo.test"]) {
  test(`${email.split("@")[0]} gets no /ops/campaigns page`, async ({ page }) => {
    await signIn(page, email);
    for (const path of ["/ops/campaigns", "/ops/campaigns/00000000-0000-4000-8000-000000000000/unpause"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login\?.*reason=forbidden/);
      await expect(page.getByText("The ops console is for the ops team")).toBeVisible();
      await expect(page.getByRole("heading", { name: "Campaigns" })).toHaveCount(0);
    }
  });
}
