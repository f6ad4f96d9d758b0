import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { apiRequest } from "@/testing/api/client";
import { send } from "./api";
import { signIn } from "./support";

const run = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();

/**
 * A toast as its readers meet it: axe finds no serious or critical violation on the page while it is
 * on screen, and its colour contrast was checked on the toast itself (axe lists the toast's text among
 * the colour-contrast passes, so it was neither skipped nor already gone). The pointer rests on the
 * toast, which pauses sonner's timer, as it would for a reader.
 */
async function checkToast(page: Page, shown: Locator, name: string) {
  const width = page.viewportSize()?.width;
  await expect(shown).toBeVisible();
  await shown.hover();
  // Hovering expands sonner's stack: a toast behind this one caught mid-transition is measured
  // half-faded (a contrast of 4.42 once in CI). Axe reads the toasts as they settle.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .filter((animation) => ((animation.effect as KeyframeEffect | null)?.target as Element | null)?.closest("[data-sonner-toaster]"))
      .every((animation) => animation.playState !== "running"),
  );
  const { violations } = await new AxeBuilder({ page }).analyze();
  const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(" ")} ${n.failureSummary ?? ""}`).join(", ")})`), `${name} at ${width} px`).toEqual([]);
  const contrast = await new AxeBuilder({ page }).include("[data-sonner-toast]").withRules(["color-contrast"]).analyze();
  expect(contrast.violations, `${name}: toast contrast at ${width} px`).toEqual([]);
  expect(contrast.passes.flatMap((rule) => rule.nodes).length, `${name}: axe checked the toast's text at ${width} px`).toBeGreaterThan(0);
  await expect(shown, `${name}: still on screen after axe at ${width} px`).toBeVisible();
  await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png` });
  await page.mouse.move(0, 0); // off the toasts: this one may go now
}

const toastOf = (page: Page, type: "success" | "error", text: string) => page.locator(`[data-sonner-toast][data-type='${type}']`).filter({ hasText: text });

/** A new ACTIVE GENERIC book of the signed-in seller, through the API. */
async function activeBook(page: Page): Promise<string> {
  const tag = run();
  const created = await send(
    page.request,
    apiRequest("post", "/api/coupon-books", { body: { name: `E2E toasts ${tag}`, codeKind: "GENERIC", code: `TOAST${tag}`, discountType: "PERCENT", discountValue: 5 } }),
  );
  expect(created.status(), await created.text()).toBe(201);
  const bookId = (await created.json()).id;
  const activated = await send(page.request, apiRequest("patch", "/api/coupon-books/{id}", { path: { id: bookId }, body: { status: "ACTIVE" } }));
  expect(activated.status(), await activated.text()).toBe(200);
  return bookId;
}

/** The book is archived elsewhere (another tab, the API) while its page still offers Pause: the click is refused. */
async function pauseAfterArchivedElsewhere(page: Page, bookId: string) {
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  const archived = await send(page.request, apiRequest("patch", "/api/coupon-books/{id}", { path: { id: bookId }, body: { status: "ARCHIVED" } }));
  expect(archived.status(), await archived.text()).toBe(200);
  await page.getByRole("button", { name: "Pause" }).click();
}

test("success and error toasts pass axe, colour contrast included, while they are on screen, at 1280 and 390 px", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "seller@demo.test");
  const bookId = await activeBook(page);

  // Success, on a desktop: the seller pauses the book; then on a phone, resumes it.
  await page.goto(`/seller/books/${bookId}`);
  await page.getByRole("button", { name: "Pause" }).click();
  await checkToast(page, toastOf(page, "success", "Book paused"), "toast-success");
  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByRole("button", { name: "Resume" }).click();
  await checkToast(page, toastOf(page, "success", "Book resumed"), "toast-success");

  // Error, on a phone: the refusal's toast, and the page refreshes to the book as it now is.
  await pauseAfterArchivedElsewhere(page, bookId);
  await checkToast(page, toastOf(page, "error", "An ARCHIVED book cannot become PAUSED"), "toast-error");
  await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);

  // Error, on a desktop, with another book.
  await page.setViewportSize({ width: 1280, height: 800 });
  const second = await activeBook(page);
  await page.goto(`/seller/books/${second}`);
  await pauseAfterArchivedElsewhere(page, second);
  await checkToast(page, toastOf(page, "error", "ARCHIVED"), "toast-error");
});
