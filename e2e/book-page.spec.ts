import { expect, test } from "@playwright/test";
import { createActiveBook } from "./api";
import { checkPage, funnelFigure, runTag, signIn } from "./support";

const INTERNAL_TOKEN = process.env.INTERNAL_API_TOKEN ?? "e2e-only-internal-token-0123456789";

/**
 * The seller's book page: opened from the list, charts that read the traffic the API produced, the
 * status buttons (pause, resume) and the audit trail that records them. On a book of its own: the
 * other specs, on the other worker, read the demo books while this one pauses its book.
 */
test("a seller opens a book: funnel, charts, pause and resume with the buttons, the audit trail", async ({ page }) => {
  await signIn(page, "seller@demo.test");
  const run = runTag();
  const name = `E2E book ${run}`;
  const prefix = `BP${run}`;
  const book = await createActiveBook(page.request, { name, codePrefix: prefix, discountValue: 20 }, [{ pattern: `${prefix}-{XXXXXXXX}`, quantity: 200 }]);
  const path = `/seller/books/${book.id}`;

  await page.goto("/seller");
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // Traffic through the API: the seller's own session assigns a code and redeems it; a guessed
  // code with the book's prefix is refused at the internal checkout (INVALID, attributed to the book).
  const assigned = await page.request.post("/api/assignments/random", { data: { couponBookId: book.id, userId: `e2e-book-${run}` } });
  expect(assigned.status(), await assigned.text()).toBe(201);
  const { code } = (await assigned.json()) as { code: string };
  const redeemed = await page.request.post(`/api/coupons/${encodeURIComponent(code)}/redeem`, { data: { userId: `e2e-book-${run}`, orderId: `e2e-order-${run}` } });
  expect(redeemed.status(), await redeemed.text()).toBe(200);
  const guess = await page.request.post("/api/internal/promo/redeem", {
    headers: { authorization: `Bearer ${INTERNAL_TOKEN}` },
    data: {
      userId: `e2e-guesser-${run}`,
      code: `${prefix}-NOTACODE`,
      checkoutId: `e2e-checkout-${run}`,
      cart: { currency: "USD", items: [{ sku: "tee", businessId: book.businessId, unitPrice: 2500, quantity: 1 }] },
    },
  });
  expect((await guess.json()) as { result: string }).toMatchObject({ result: "INVALID" });

  await page.reload();
  expect(await funnelFigure(page, "codes")).toBe(200);
  expect(await funnelFigure(page, "assigned")).toBe(1);
  expect(await funnelFigure(page, "redeemed")).toBe(1);
  await expect(page.getByRole("figure", { name: /Redemptions and discount per day/ })).toContainText(/\b1 redemption\b/);
  await expect(page.getByRole("region", { name: "Refusal reasons" }).getByRole("row").filter({ hasText: "INVALID" }).first()).toBeVisible();

  // The 24h window is drawn in hours; the link says which window is shown.
  await page.getByRole("navigation", { name: "Chart window" }).getByRole("link", { name: "24h" }).click();
  await expect(page).toHaveURL(/window=24h/);
  await expect(page.getByRole("link", { name: "24h" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("figure", { name: /per hour/ })).toBeVisible();

  const status = page.getByRole("group", { name: "Book status" });
  const header = page.locator("h1 + p");
  await status.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByText("Book paused")).toBeVisible();
  await expect(header.getByText("PAUSED", { exact: true })).toBeVisible();
  await expect(status.getByRole("button", { name: "Resume" })).toBeVisible();
  await status.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByText("Book resumed")).toBeVisible();
  await expect(header.getByText("ACTIVE", { exact: true })).toBeVisible();

  const audit = page.getByRole("region", { name: "Audit entries" });
  await expect(audit.getByRole("row").nth(1)).toContainText("UNPAUSE");
  await expect(audit.getByRole("row").nth(1)).toContainText("PAUSED → ACTIVE");
  await expect(audit.getByRole("row").nth(2)).toContainText("ACTIVE → PAUSED");
  await expect(audit.getByRole("cell", { name: "PAUSE", exact: true }).first()).toBeVisible();

  // Archive asks first; cancelling changes nothing.
  await status.getByRole("button", { name: "Archive" }).click();
  const dialog = page.getByRole("dialog", { name: "Archive this book?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(header.getByText("ACTIVE", { exact: true })).toBeVisible();

  await checkPage(page, "book", path, async (p) => {
    await expect(p.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(p.getByRole("figure", { name: "Funnel" })).toContainText("200 codes");
    await expect(p.getByRole("region", { name: "Audit entries" })).toBeVisible();
  });
});

test("a book the seller may not see is a 404", async ({ page }) => {
  await signIn(page, "seller@demo.test");
  for (const path of ["/seller/books/00000000-0000-4000-8000-000000000000", "/seller/books/not-a-uuid"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});
