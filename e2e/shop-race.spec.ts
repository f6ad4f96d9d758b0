import { expect, test, type Browser, type Page } from "@playwright/test";
import { inArray } from "drizzle-orm";
import { shopOrders } from "@/db/schema";
import { appliedCount, demoShopGenericBook, fillCart, newShopper, shopDb } from "./shop-fixtures";
import { signIn } from "./support";

/**
 * Issue 12's race: two shoppers, each in their own browser, apply and pay the same promotion that
 * has one use left, at the same moment. Exactly one order carries the discount, the other shopper
 * reads "This promotion has run out.", and the database holds one consumed use.
 */
const { db, client } = shopDb();
test.afterAll(async () => client.end({ timeout: 5 }));

async function shopperPage(browser: Browser, label: string, code: string) {
  const shopper = await newShopper(db, label);
  await fillCart(db, shopper.actor, { "TEE-ORG": 1, "MUG-ENM": 1 });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, shopper.email);
  await page.goto("/shop/checkout");
  await page.getByRole("region", { name: "Coupon" }).getByLabel("Coupon code").fill(code);
  return { shopper, page, context };
}

test("two shoppers apply and pay a one-use promotion at once: one discount, one clear refusal, one consumption", async ({ browser }) => {
  const book = await demoShopGenericBook(db, { maxTotalRedemptions: 1 });
  const a = await shopperPage(browser, "race-a", book.code);
  const b = await shopperPage(browser, "race-b", book.code);
  const field = (page: Page) => page.getByRole("region", { name: "Coupon" });

  await Promise.all([a, b].map(({ page }) => field(page).getByRole("button", { name: "Apply" }).click()));
  // Each field settles on a reservation (its countdown) or a refusal.
  const outcome = async (page: Page) => {
    const settled = field(page).getByRole("timer").or(field(page).getByRole("alert"));
    await expect(settled).toBeVisible();
    return (await field(page).getByRole("timer").count()) > 0 ? "reserved" : "refused";
  };
  const outcomes = await Promise.all([outcome(a.page), outcome(b.page)]);

  // A live reservation holds the promotion's one use (DESIGN §5.2): the second shopper is told at once.
  expect([...outcomes].sort(), "exactly one field holds the promotion").toEqual(["refused", "reserved"]);
  const loser = outcomes[0] === "refused" ? a.page : b.page;
  await expect(field(loser).getByRole("alert")).toHaveText("This promotion has run out.");

  // Both pay at the same moment: the winner with the discount, the other without.
  await Promise.all([a, b].map(({ page }) => page.getByRole("button", { name: /^Pay / }).click()));
  for (const { page } of [a, b]) await expect(page.getByRole("heading", { level: 1, name: /your order is placed/ })).toBeVisible();
  const winner = loser === a.page ? b.page : a.page;
  await expect(winner.getByRole("status")).toContainText(`coupon ${book.code} saved you $3.70`);
  await expect(loser.getByRole("status")).not.toContainText("saved you");

  const orders = await db
    .select()
    .from(shopOrders)
    .where(inArray(shopOrders.userId, [a.shopper.actor.userId, b.shopper.actor.userId]));
  const discounted = orders.filter((order) => order.discountAmount > 0);
  expect(discounted).toHaveLength(1);
  expect(discounted[0]!.couponCode).toBe(book.code);
  expect(await appliedCount(db, book.id)).toBe(1);
  expect(discounted[0]!.discountAmount).toBe(370); // 10 % of $37.00

  await a.context.close();
  await b.context.close();
});
