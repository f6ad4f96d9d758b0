import { expect, test, type Page } from "@playwright/test";
import { newShopper, shopDb } from "./shop-fixtures";
import { checkPage, signIn } from "./support";

/*
 * The shop's browsing pages as a shopper sees them: a shopper of the spec's own (shop-fixtures.ts),
 * so the claim of the one Trail Club code a shopper may hold works on any run, and no other spec's
 * cart is touched.
 */
const { db, client } = shopDb();
let shopperEmail = "";
test.beforeAll(async () => {
  shopperEmail = (await newShopper(db, "browse")).email;
});
test.afterAll(async () => client.end({ timeout: 5 }));
const OFFER = "Trail Club 15%";

const offerCard = (page: Page) => page.getByRole("article", { name: OFFER });
const cartLink = (page: Page) => page.getByRole("link", { name: /^Cart · \d+ items?$/ });
const cartCount = async (page: Page) => Number((await cartLink(page).textContent())!.match(/\d+/)![0]);

test("a shopper browses the catalogue, claims the Trail Club offer, meets the limit in a second tab, and copies the code from the wallet", async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
  await signIn(page, shopperEmail);

  // Add to cart and back out: the cart link follows the cart, a toast confirms each change.
  await page.goto("/shop");
  await expect(page.getByRole("heading", { level: 2, name: "Trail Outfitters" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Demo Shop" })).toBeVisible();
  const headlamp = page.getByRole("article", { name: "Headlamp" });
  await expect(headlamp).toContainText("$35.00");
  const before = await cartCount(page);
  await headlamp.getByRole("button", { name: /^Add to cart/ }).click();
  await expect(headlamp.getByRole("group", { name: "Quantity of Headlamp" })).toContainText("1 in cart");
  await expect(page.getByText("Added Headlamp to your cart")).toBeVisible();
  await expect(cartLink(page)).toHaveText(`Cart · ${before + 1} item${before + 1 === 1 ? "" : "s"}`);
  await headlamp.getByRole("button", { name: "One more Headlamp" }).click();
  await expect(headlamp.getByRole("group", { name: "Quantity of Headlamp" })).toContainText("2 in cart");
  // Server-rendered from the cart: a reload shows the same, with both kinds of control on the page.
  await checkPage(page, "shop-products", "/shop", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Products" })).toBeVisible();
    await expect(p.getByRole("article", { name: "Headlamp" }).getByRole("group", { name: "Quantity of Headlamp" })).toContainText("2 in cart");
    await expect(cartLink(p)).toHaveText(`Cart · ${before + 2} items`);
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "One less Headlamp" }).click();
  await page.getByRole("button", { name: "Remove Headlamp from cart" }).click();
  await expect(page.getByRole("article", { name: "Headlamp" }).getByRole("button", { name: /^Add to cart/ })).toBeVisible();
  await expect(cartLink(page)).toHaveText(`Cart · ${before} item${before === 1 ? "" : "s"}`);

  // Two tabs on the offers page, both offering the claim.
  await page.goto("/shop/offers");
  const second = await context.newPage();
  await second.goto("/shop/offers");
  await expect(offerCard(page)).toContainText("Trail Outfitters");
  await expect(offerCard(page)).toContainText("15% off");
  await expect(offerCard(page)).toContainText("You hold 0 of the 1 code allowed per shopper");
  await expect(offerCard(second).getByRole("button", { name: /^Claim/ })).toBeEnabled();

  await offerCard(page).getByRole("button", { name: /^Claim/ }).click();
  await expect(offerCard(page).getByRole("status")).toContainText(/Your code: TRAIL-[2-9A-HJ-NP-Z]{6}/);
  const code = (await offerCard(page).getByRole("status").locator("code").textContent())!;
  await expect(offerCard(page)).toContainText("You hold 1 of the 1 code allowed per shopper");
  await expect(offerCard(page).getByRole("button", { name: /^Claim/ })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screenshots/shop-offers-claimed-1280.png", fullPage: true });

  // The stale tab's claim meets the per-shopper limit: the service's message, and no dead button.
  await offerCard(second).getByRole("button", { name: /^Claim/ }).click();
  await expect(offerCard(second).getByRole("alert")).toHaveText("You already hold the most codes of this offer a shopper may have (1)");
  await expect(offerCard(second).getByRole("button", { name: /^Claim/ })).toHaveCount(0);
  await second.setViewportSize({ width: 390, height: 800 });
  await second.screenshot({ path: "test-results/screenshots/shop-offers-limit-390.png", fullPage: true });
  await second.close();

  await checkPage(page, "shop-offers", "/shop/offers", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Offers" })).toBeVisible();
    await expect(offerCard(p)).toContainText("You already hold as many codes of this offer as it allows.");
  });

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/shop/offers");
  await page.getByRole("link", { name: "Your wallet", exact: true }).click();
  await expect(page).toHaveURL(/\/shop\/wallet$/);
  const coupon = page.getByRole("article", { name: code });
  await expect(coupon.getByText("ASSIGNED", { exact: true })).toBeVisible();
  await expect(coupon).toContainText("1 of 1");
  await expect(coupon).toContainText(OFFER);
  await coupon.getByRole("button", { name: `Copy code ${code}` }).click();
  await expect(coupon.getByRole("status")).toHaveText(`Copied ${code}`);
  await expect(coupon.getByRole("button", { name: `Copied code ${code}` })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

  await checkPage(page, "shop-wallet", "/shop/wallet", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Wallet" })).toBeVisible();
    await expect(p.getByRole("article", { name: code })).toBeVisible();
  });
  await checkPage(page, "shop-orders", "/shop/orders", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Orders" })).toBeVisible();
  });
});

test("the seller of Trail Club sees its self-service setting on the book page and ticked on the edit form", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "seller2@demo.test");
  await page.goto(`/seller?q=${encodeURIComponent("Trail Club")}`);
  await page.getByRole("link", { name: OFFER }).click();
  await expect(page).toHaveURL(/\/seller\/books\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Shoppers claim codes")).toBeVisible();
  await expect(page.getByText("Yes, on the offers page")).toBeVisible();
  await page.goto(`${page.url()}/edit`);
  await expect(page.getByRole("checkbox", { name: "Shoppers can claim codes on the offers page" })).toBeChecked();

  // A new book starts with it off.
  await page.goto("/seller/books/new");
  await expect(page.getByRole("checkbox", { name: "Shoppers can claim codes on the offers page" })).not.toBeChecked();
});
