import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/**
 * /docs: the published OpenAPI document rendered by Scalar, bundled from npm. Public (no sign-in),
 * and nothing on it reaches past this origin: no CDN, no fonts, no telemetry, no request proxy.
 */
const KNOWN_SUMMARY = "List coupon books, newest first"; // listCouponBooks, lib/contract/operations/coupon-books.ts

/** Every request the page makes, and every console error and uncaught exception it raises. */
function watch(page: Page) {
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    // The site's icon is /icon.svg (app/icon.svg); a Chromium that probes /favicon.ico anyway gets a 404.
    if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`${error.name}: ${error.message}`));
  return { requests, errors };
}

/** URLs that leave the app's origin (data: and blob: URLs never leave the browser). */
function foreign(requests: string[], appOrigin: string): string[] {
  return requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== appOrigin);
}

/**
 * axe over the whole page, Scalar's rendering included, at the bar of e2e/support.ts's checkPage:
 * no serious or critical violation. (Scalar's <main> inside the layout's is a moderate one.)
 */
async function expectNoSevereViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), where).toEqual([]);
}

/** Scalar's own landmark, once it has mounted. */
async function referenceMounted(page: Page) {
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  const reference = page.getByRole("main", { name: "API documentation for Coupon platform API" });
  await expect(reference.getByRole("heading", { level: 2, name: "Coupon books" })).toBeVisible();
  return reference;
}

/**
 * Scalar renders an operation's section once it nears the viewport: the tag's list of endpoints
 * (there at every width, unlike the sidebar) scrolls listCouponBooks into view.
 */
async function openListCouponBooks(page: Page) {
  const reference = await referenceMounted(page);
  await reference.getByRole("list", { name: "Coupon books endpoints" }).getByRole("link", { name: "get /api/coupon-books", exact: true }).click();
  await expect(reference.getByRole("heading", { level: 3, name: KNOWN_SUMMARY })).toBeInViewport();
}

for (const width of [1280, 390] as const) {
  test(`/docs renders the reference at ${width} px, signed out, with no foreign request or console error`, async ({ page, baseURL }) => {
    const { requests, errors } = watch(page);
    await page.setViewportSize({ width, height: 800 });
    const response = await page.goto("/docs");
    expect(response?.status()).toBe(200);
    // The site's page policy, unchanged for /docs: a CSP violation would be a console error below.
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    await expect(page).toHaveURL(/\/docs$/);
    await expect(page).toHaveTitle("API reference · Coupon platform");
    await referenceMounted(page);
    // The intro offers the document itself.
    await expect(page.getByRole("link", { name: /download as JSON/ })).toHaveAttribute("href", "/api/openapi.json");

    await expectNoSevereViolations(page, `/docs at ${width} px`);
    if (width === 390) {
      expect(await page.evaluate(() => document.documentElement.scrollWidth), "no horizontal scroll at 390 px").toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: `test-results/screenshots/api-docs-${width}.png` });
    await openListCouponBooks(page);
    // An operation brings its own colours (method badges, a highlighted example answer).
    await expectNoSevereViolations(page, `listCouponBooks at ${width} px`);
    if (width === 390) {
      expect(await page.evaluate(() => document.documentElement.scrollWidth), "an operation: no horizontal scroll at 390 px").toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: `test-results/screenshots/api-docs-operation-${width}.png` });

    expect(requests.filter((url) => url.includes("/_next/static/chunks/")).length, "the page's own code was loaded and watched").toBeGreaterThan(0);
    expect(foreign(requests, new URL(baseURL!).origin)).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test("the header's API docs link opens /docs from any page, and the reference mounts after a client-side navigation", async ({ page }) => {
  const { errors } = watch(page);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API docs" }).click();
  await expect(page).toHaveURL(/\/docs$/);
  await openListCouponBooks(page);
  expect(errors).toEqual([]);
});
