import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";

/** Helpers of the page specs: sign in as a demo user, and look at a page as its users would. */
const WIDTHS = [1280, 390] as const;

/** A tag that tells this run's data from earlier runs' and the other worker's (upper case: it goes into codes). */
export const runTag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();

/** The number before `label` in a book page's funnel summary ("200 codes · 3 assigned · …"). */
export async function funnelFigure(page: Page, label: string): Promise<number> {
  const summary = await page.getByRole("figure", { name: "Funnel" }).innerText();
  const match = new RegExp(`([\\d,]+) ${label}`).exec(summary);
  if (!match) throw new Error(`no "${label}" in the funnel summary: ${summary}`);
  return Number(match[1]!.replaceAll(",", ""));
}

export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo1234");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/**
 * A page at 1280 and 390 px: `ready` waits for its content, axe finds no violation above minor
 * (moderate ones too: two landmarks of one name, a heading skipped), a phone gets no horizontal
 * scroll, and a screenshot goes to test-results/screenshots/.
 */
export async function checkPage(page: Page, name: string, path: string, ready: (page: Page) => Promise<void>) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(path);
    await ready(page);
    const { violations } = await new AxeBuilder({ page }).analyze();
    const severe = violations.filter((v) => v.impact !== "minor");
    expect(
      severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      `${name} at ${width} px`,
    ).toEqual([]);
    if (width === 390) {
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}: no horizontal scroll at 390 px`).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: true });
  }
}

/**
 * Resolves once React has hydrated `locator`'s element (its fiber is attached). A field typed into
 * before that can be emptied by hydration: a link clicked before its page hydrated is a full page
 * load, and the next page's server HTML takes keystrokes that React then resets.
 */
export async function hydrated(locator: Locator) {
  await expect.poll(() => locator.evaluate((element) => Object.keys(element).some((key) => key.startsWith("__reactFiber$")))).toBe(true);
}
