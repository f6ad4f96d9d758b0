import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { businesses, users } from "@/db/schema";
import { createBook } from "@/lib/coupons/create-book";
import { CreateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import { DEMO_BUSINESS } from "@/lib/demo/seed";
import { fillCart, newShopper, shopDb } from "./shop-fixtures";
import { checkPage, signIn } from "./support";

/**
 * Issue 13's refunds and audit pages: a shopper pays an order with a coupon through the store's
 * pages; ops look the order up on /ops/refunds, roll its coupon use back with a reason, and a second
 * click answers that it was already done; the shopper's wallet shows the coupon usable again; the
 * audit page shows the rollback under the operator's own actor, with no coupon code on the page.
 * Sellers and shoppers get neither page.
 */
const { db, client } = shopDb();
test.afterAll(async () => client.end({ timeout: 5 }));

const META = { ip: null, userAgent: "e2e" };

/** A fresh ACTIVE GENERIC 10 % book of Demo Shop whose name does not contain its code (so the page text can be searched for the code). */
async function refundableBook() {
  const [business] = await db.select({ id: businesses.id }).from(businesses).where(eq(businesses.name, DEMO_BUSINESS));
  const [seller] = await db.select({ id: users.id }).from(users).where(eq(users.email, "seller@demo.test"));
  const actor = { kind: "user", role: "seller", userId: seller!.id, businessId: business!.id } as const;
  const run = randomUUID().replaceAll("-", "").slice(0, 8).toUpperCase();
  const code = `RFD${run}`;
  const name = `Refund check ${run.toLowerCase()}`;
  const book = await createBook(db, actor, CreateBookInput.parse({ name, codeKind: "GENERIC", code, discountType: "PERCENT", discountValue: 10, currency: "USD" }), META);
  await updateBook(db, actor, book.id, { status: "ACTIVE" }, META);
  return { id: book.id, code, name };
}

/** The shopper pays a one-tee cart with `code` through the cart and checkout pages; answers the order id. */
async function payWithCoupon(page: Page, code: string) {
  await page.goto("/shop/cart");
  const coupon = page.getByRole("region", { name: "Coupon" });
  await coupon.getByLabel("Coupon code").fill(code);
  await coupon.getByRole("button", { name: "Apply" }).click();
  await expect(coupon.getByRole("timer")).toBeVisible();
  await page.getByRole("link", { name: "Checkout" }).click();
  await expect(page).toHaveURL(/\/shop\/checkout$/);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page).toHaveURL(/\/shop\/checkout\/done\?order=SO-/);
  return (await page.getByTestId("order-id").textContent())!.trim();
}

test("ops look an order up, roll its coupon use back with a reason (a second click: already done), the wallet shows it usable again, the audit page shows the rollback", async ({ page, browser }) => {
  // Two sessions, six page checks at two widths on a loaded 2-core machine.
  test.setTimeout(240_000);
  const book = await refundableBook();
  const shopper = await newShopper(db, "refund");
  await fillCart(db, shopper.actor, { "TEE-ORG": 1 }); // Demo Shop, $25.00: 10 % is $2.50
  const shopperContext = await browser.newContext();
  const shopperPage = await shopperContext.newPage();
  try {
    await signIn(shopperPage, shopper.email);
    const orderId = await payWithCoupon(shopperPage, book.code);
    await shopperPage.goto("/shop/wallet");
    const walletCard = shopperPage.getByRole("article", { name: book.code });
    await expect(walletCard).toContainText("REDEEMED");
    await expect(walletCard).toContainText("0 of 1");

    await signIn(page, "ops@demo.test");
    await page.goto("/ops/refunds");
    await expect(page.getByRole("heading", { level: 1, name: "Refunds" })).toBeVisible();
    await page.getByLabel("Order id").fill(orderId);
    await page.getByRole("button", { name: "Look up" }).click();
    await expect(page).toHaveURL(`/ops/refunds?orderId=${orderId}`);
    await expect(page.getByRole("heading", { level: 2, name: `Order ${orderId}` })).toBeVisible();
    const purchase = page.getByRole("article", { name: DEMO_BUSINESS });
    await expect(purchase).toContainText("PAID");
    await expect(purchase).toContainText("$2.50");
    const uses = purchase.getByRole("list", { name: `Coupon uses of ${DEMO_BUSINESS} in order ${orderId}` });
    const use = uses.getByRole("listitem").filter({ hasText: book.name });
    await expect(use).toContainText("PR_APPLIED");
    await expect(use.getByRole("link", { name: book.name })).toHaveAttribute("href", `/ops/campaigns/${book.id}`);

    // The reason is required, checked before anything is sent.
    const rollback = page.getByRole("button", { name: "Roll back the order" });
    await rollback.click();
    await expect(page.getByText("Give a reason (1–500 characters)")).toBeVisible();
    await expect(purchase).toContainText("PAID");

    await page.getByLabel("Reason").fill("e2e refund: item returned");
    await rollback.click();
    await expect(page.getByText("Whole order: rolled back. 1 coupon use given back ($2.50 of discount).")).toBeVisible();
    await expect(purchase).toContainText("REFUNDED");
    await expect(use).toContainText("PR_REVOKED");
    await expect(use).toContainText("e2e refund: item returned");

    // A second click changes nothing and says so.
    await rollback.click();
    await expect(page.getByText(/^Whole order: already rolled back at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. Nothing changed\.$/)).toBeVisible();
    await expect(page.getByText("Whole order: rolled back.")).toHaveCount(0);
    await page.screenshot({ path: "test-results/screenshots/ops-refunds-second-click-1280.png", fullPage: true });

    await checkPage(page, "ops-refunds", `/ops/refunds?orderId=${encodeURIComponent(orderId)}`, async (p) => {
      await expect(p.getByRole("article", { name: DEMO_BUSINESS })).toContainText("REFUNDED");
    });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The use is given back: the shopper's wallet offers the coupon again.
    await shopperPage.reload();
    await expect(walletCard).toContainText("REVOKED");
    await expect(walletCard).toContainText("you can use it again");
    await expect(walletCard).toContainText("1 of 1");

    // The audit trail, narrowed to this operator's own actions: the rollback is on top.
    const [opsUser] = await db.select({ id: users.id }).from(users).where(eq(users.email, "ops@demo.test"));
    await page.goto("/ops/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Audit trail" })).toBeVisible();
    await page.getByRole("link", { name: "Only my actions" }).click();
    await expect(page.getByLabel("Actor (exact)")).toHaveValue(`ops:${opsUser!.id}`);
    const entries = page.getByRole("region", { name: "Audit trail entries, newest first" });
    const revoke = entries.getByRole("row").filter({ hasText: "REVOKE" }).first();
    await expect(revoke).toContainText("e2e refund: item returned");
    await expect(revoke).toContainText("REDEEMED");
    await expect(revoke.getByRole("link", { name: book.name })).toHaveAttribute("href", `/ops/campaigns/${book.id}`);
    await expect(entries.getByRole("row").filter({ hasText: "REFUND" }).filter({ hasText: "PAID" }).first()).toBeVisible();
    expect(await page.locator("body").innerText()).not.toContain(book.code);

    // Picked by name: the campaign's trail, its creation and activation by the seller included.
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/ops\/audit$/);
    await expect(page.getByLabel("Actor (exact)")).toHaveValue("");
    await page.getByLabel("Campaign name").fill(book.name);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/\/ops\/audit\?campaign=/);
    await expect(page.getByRole("search", { name: "Filter the audit trail" })).toContainText(book.name);
    await expect(entries.getByRole("row").filter({ hasText: "CREATE_BOOK" })).toHaveCount(1);
    await expect(entries.getByRole("row").filter({ hasText: "REVOKE" })).toHaveCount(1);
    expect(await page.locator("body").innerText()).not.toContain(book.code);

    await checkPage(page, "ops-audit", `/ops/audit?actor=${encodeURIComponent(`ops:${opsUser!.id}`)}`, async (p) => {
      await expect(p.getByRole("region", { name: "Audit trail entries, newest first" }).getByRole("row").filter({ hasText: "REVOKE" }).first()).toBeVisible();
    });
  } finally {
    await shopperContext.close();
  }
});

test("an unknown order is a clear empty state; a bad order id or audit filter is explained, never a failed page", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "ops@demo.test");
  const unknown = `SO-${randomUUID()}`;
  await checkPage(page, "ops-refunds-unknown", `/ops/refunds?orderId=${unknown}`, async (p) => {
    await expect(p.getByRole("heading", { name: `No order “${unknown}”` })).toBeVisible();
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByRole("button", { name: "Roll back the order" })).toHaveCount(0);

  await page.goto(`/ops/refunds?orderId=${"x".repeat(201)}`);
  await expect(page.getByText("An order id has at most 200 characters")).toBeVisible();

  const response = await page.goto("/ops/audit?from=yesterday&bookId=nope");
  expect(response?.status()).toBe(200);
  await expect(page.getByText("Check the highlighted filters.")).toBeVisible();
  await expect(page.getByLabel("From (UTC)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/^must be a date and time such as/)).toBeVisible();
  await expect(page.getByText("The campaign filter must be a campaign id (a uuid)")).toBeVisible();

  await page.goto("/ops/audit?campaign=no%20campaign%20is%20called%20this");
  await expect(page.getByText("No campaign's name contains “no campaign is called this”")).toBeVisible();
});

for (const who of ["seller@demo.test", "shopper@demo.test"]) {
  test(`${who.split("@")[0]} gets no /ops/refunds or /ops/audit page`, async ({ page }) => {
    await signIn(page, who);
    for (const path of ["/ops/refunds", "/ops/audit"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fops[^&]*&reason=forbidden$/);
      await expect(page.getByText("The ops console is for the ops team. Sign in with an ops account.")).toBeVisible();
      await expect(page.getByRole("heading", { name: /Refunds|Audit trail/ })).toHaveCount(0);
    }
  });
}
