import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { and, desc, eq, gte } from "drizzle-orm";
import { type Db } from "@/db/client";
import { businesses, couponCodes, jobRuns, opsAlertDeliveries, opsAlerts, opsAudit, users } from "@/db/schema";
import { createBook } from "@/lib/coupons/create-book";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { CreateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import { DEMO_BUSINESS } from "@/lib/demo/seed";
import { humanizeKey } from "@/lib/ops/labels";
import { alertReceiverSettings, startAlertReceiver, type FakeAlertReceiver } from "./fake-alert-receiver";
import { shopDb } from "./shop-fixtures";
import { checkPage, signIn } from "./support";

/**
 * The ops alerts and jobs pages against the production build (issue 13): an alert raised by the
 * brute-force guard's `npm run job` fails against a webhook answering 500 (one attempt allowed), is
 * retried from the page once the webhook answers 200 and shows DELIVERED; the jobs page shows the
 * runs `npm run job` made; sellers and shoppers get neither page.
 */

// The secrets of the e2e server (playwright.config.ts), so the job runs as the server would.
const SERVER_SECRETS = {
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-only-auth-secret-0123456789abcdefghijklmnop",
  CODE_HASH_SECRET: process.env.CODE_HASH_SECRET ?? "e2e-only-code-hash-secret",
  INTERNAL_API_TOKEN: process.env.INTERNAL_API_TOKEN ?? "e2e-only-internal-token-0123456789",
};
const run = promisify(execFile);

/** `npm run job -- <name>` on the server's database with the server's settings; resolves once it exited 0. */
async function npmRunJob(name: string) {
  const { stdout, stderr } = await run("npm", ["run", "--silent", "job", "--", name], {
    env: { ...process.env, ...SERVER_SECRETS, ...alertReceiverSettings(), DATABASE_URL: process.env.DATABASE_URL! },
    timeout: 90_000,
  });
  return `${stdout}${stderr}`;
}

let receiver: FakeAlertReceiver;
let db: Db;
let closeDb: () => Promise<void>;
test.beforeAll(async () => {
  receiver = await startAlertReceiver();
  const handle = shopDb();
  db = handle.db;
  closeDb = () => handle.client.end({ timeout: 5 });
});
test.afterAll(async () => {
  await receiver?.close();
  await closeDb?.();
});

const META = { ip: null, userAgent: "e2e" };

/** A fresh ACTIVE UNIQUE book of Demo Shop (10 % off) with a few codes, made by its seller through the services. */
async function leakableBook(label: string) {
  const [business] = await db.select({ id: businesses.id }).from(businesses).where(eq(businesses.name, DEMO_BUSINESS));
  const [seller] = await db.select({ id: users.id }).from(users).where(eq(users.email, "seller@demo.test"));
  const actor = { kind: "user", role: "seller", userId: seller!.id, businessId: business!.id } as const;
  const book = await createBook(db, actor, CreateBookInput.parse({ name: label, discountType: "PERCENT", discountValue: 10, currency: "USD" }), META);
  await generateCodes(db, actor, { couponBookId: book.id, quantity: 3, pattern: "LEAK-{XXXXXXXX}" }, META);
  await updateBook(db, actor, book.id, { status: "ACTIVE" }, META);
  const [code] = await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, book.id)).limit(1);
  return { bookId: book.id, businessId: business!.id, code: code!.code };
}

async function redeem(page: Page, userId: string, code: string, businessId: string) {
  const response = await page.request.post("/api/internal/promo/redeem", {
    headers: { authorization: `Bearer ${SERVER_SECRETS.INTERNAL_API_TOKEN}` },
    data: { userId, code, checkoutId: `e2e-alerts-${randomUUID()}`, cart: { currency: "USD", items: [{ sku: "TEE-ORG", businessId, unitPrice: 2500, quantity: 1 }] } },
  });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: string }).result;
}

test("a FAILED delivery (webhook answering 500, one attempt) is retried from the page against a webhook now answering 200 and shows DELIVERED", async ({ page }) => {
  test.setTimeout(180_000);
  const label = `E2E alerts ${Date.now().toString(36)}`;
  const book = await leakableBook(label);

  // A leaked code: its holder reserves it, then 10 other shoppers try it (the guard's default
  // GUARD_HASH_MIN_DISTINCT_USERS), each refused as INVALID.
  expect(await redeem(page, `e2e-holder-${randomUUID()}`, book.code, book.businessId)).toBe("ACCEPTED");
  const tries = await Promise.all(Array.from({ length: 10 }, () => redeem(page, `e2e-leak-${randomUUID()}`, book.code, book.businessId)));
  expect(tries).toEqual(Array(10).fill("INVALID"));

  // The guard pauses the campaign and raises promo_campaign_auto_paused; its one delivery meets a 500.
  receiver.answerWith(500);
  await npmRunJob("bruteforce-guard");
  const [alert] = await db.select().from(opsAlerts).where(and(eq(opsAlerts.bookId, book.bookId), eq(opsAlerts.eventType, "promo_campaign_auto_paused")));
  expect(alert, "the guard raised an alert for the book").toBeTruthy();
  const [delivery] = await db.select().from(opsAlertDeliveries).where(eq(opsAlertDeliveries.alertId, alert!.id));
  expect(delivery).toMatchObject({ channel: "generic", status: "FAILED", attempts: 1, lastStatusCode: 500 });
  expect(receiver.received().filter((r) => r.body.alertId === alert!.id).map((r) => r.status)).toEqual([500]);

  await signIn(page, "ops@demo.test");
  // Ops land on /ops after signing in: let that navigation finish before going elsewhere.
  await expect(page).toHaveURL(/\/ops$/);
  const card = page.getByRole("article").filter({ hasText: label });
  const webhook = card.getByRole("listitem", { name: /^Webhook delivery/ });

  // The retry queue: the alert is listed as FAILED with its attempt and error, and the page passes axe and 390 px.
  await checkPage(page, "ops-alerts", "/ops/alerts?deliveryStatus=FAILED&eventType=promo_campaign_auto_paused", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
    await expect(card).toBeVisible();
  });
  await expect(card.getByRole("heading", { name: "Campaign auto-paused" })).toBeVisible();
  await expect(card).toContainText("WARNING");
  await expect(card).toContainText(DEMO_BUSINESS);
  await expect(card).toContainText("PAUSED");
  await expect(webhook).toContainText("FAILED");
  await expect(webhook).toContainText("HTTP 500: receiver unavailable");
  await expect(webhook.getByText("1", { exact: true })).toBeVisible();
  await expect(card).not.toContainText(book.code);

  // The webhook is back: retry from the page, with a reason, on a view the alert stays in once delivered.
  receiver.answerWith(200);
  await page.goto(`/ops/alerts?eventType=promo_campaign_auto_paused&businessId=${book.businessId}`);
  await expect(webhook).toContainText("FAILED");
  await webhook.getByRole("button", { name: "Retry the Webhook delivery" }).click();
  const dialog = page.getByRole("dialog", { name: "Retry the Webhook delivery?" });
  await dialog.getByLabel("Reason (optional)").fill("webhook receiver fixed (e2e)");
  await dialog.getByRole("button", { name: "Retry now" }).click();
  await expect(page.getByText("Webhook delivery sent: DELIVERED")).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(card.getByRole("listitem", { name: "Webhook delivery: DELIVERED" })).toBeVisible();
  await expect(webhook.getByRole("button", { name: /Retry/ })).toHaveCount(0);

  // As the server has it now, not only as the page was patched: reloaded, and gone from the retry queue.
  await page.reload();
  await expect(card.getByRole("listitem", { name: "Webhook delivery: DELIVERED" })).toContainText("none (delivered");
  await card.getByText("Details", { exact: true }).click();
  await expect(card.getByText("Top code hash distinct users")).toBeVisible();
  await card.screenshot({ path: "test-results/screenshots/ops-alerts-delivered-390.png" });
  await page.goto("/ops/alerts?deliveryStatus=FAILED&eventType=promo_campaign_auto_paused");
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await expect(card).toHaveCount(0);

  // The receiver took the alert the second time, with what on-call needs and no coupon code.
  const got = receiver.received().filter((r) => r.body.alertId === alert!.id);
  expect(got.map((r) => r.status)).toEqual([500, 200]);
  const accepted = got[1]!;
  expect(accepted.path).toBe("/ops-alerts");
  expect(accepted.idempotencyKey).toBe(`${alert!.id}:generic`);
  expect(accepted.body).toMatchObject({ event: "promo_campaign_auto_paused", severity: "warning", bookId: book.bookId, businessId: book.businessId });
  expect(accepted.body.summary).toContain(label);
  expect(accepted.body.details).toMatchObject({ trigger: "LEAKED_CODE", topCodeHashDistinctUsers: 10, codePrefix: "LEAK-" });
  expect(accepted.text).not.toContain(book.code);
  expect(accepted.text.toUpperCase()).not.toContain(book.code.slice("LEAK-".length));

  // Audited with the operator and the reason.
  const [ops] = await db.select({ id: users.id }).from(users).where(eq(users.email, "ops@demo.test"));
  const audit = await db.select().from(opsAudit).where(eq(opsAudit.targetId, delivery!.id));
  expect(audit).toEqual([
    expect.objectContaining({ action: "RETRY_ALERT_DELIVERY", actor: `ops:${ops!.id}`, details: expect.objectContaining({ reason: "webhook receiver fixed (e2e)", previousStatusCode: 500 }) }),
  ]);
});

test("the jobs page shows the runs made by npm run job, with their summaries", async ({ page }) => {
  test.setTimeout(120_000);
  const before = new Date(Date.now() - 1000);
  await npmRunJob("campaign-rollover");
  const [recorded] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, "campaign-rollover"), gte(jobRuns.startedAt, before)))
    .orderBy(desc(jobRuns.startedAt))
    .limit(1);
  expect(recorded, "npm run job recorded its run").toMatchObject({ status: "SUCCEEDED" });
  const started = `${recorded!.startedAt.toISOString().slice(0, 19).replace("T", " ")} UTC`;

  // A job whose scheduler stopped: reconciliation (every 30 min), which no spec runs, last ran 3 hours
  // ago. Its run is written as runJob would have written it, unless the database has a real one.
  const LATE_JOB = "reconciliation";
  const [newest] = await db.select({ startedAt: jobRuns.startedAt }).from(jobRuns).where(eq(jobRuns.job, LATE_JOB)).orderBy(desc(jobRuns.startedAt)).limit(1);
  if (!newest) {
    const startedAt = new Date(Date.now() - 3 * 3_600_000);
    await db.insert(jobRuns).values({ job: LATE_JOB, status: "SUCCEEDED", startedAt, finishedAt: new Date(startedAt.getTime() + 800), durationMs: 800, summary: { assignmentsChecked: 0 }, error: null });
  }
  const expectLate = !newest || Date.now() - newest.startedAt.getTime() > 40 * 60_000;

  await signIn(page, "ops@demo.test");
  // Ops land on /ops after signing in: let that navigation finish before going elsewhere.
  await expect(page).toHaveURL(/\/ops$/);
  const card = page.getByRole("article").filter({ has: page.getByRole("heading", { name: "campaign-rollover", exact: true }) });
  await checkPage(page, "ops-jobs", "/ops/jobs", async (p) => {
    await expect(p.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
    await expect(card).toBeVisible();
  });
  await expect(card.getByText("ON SCHEDULE", { exact: true })).toBeVisible();
  await expect(card).toContainText("on schedule");
  const row = card.getByRole("region", { name: "Last runs of campaign-rollover" }).getByRole("row").filter({ hasText: started });
  await expect(row).toContainText("SUCCEEDED");
  // The job's own summary line, in words.
  for (const key of Object.keys(recorded!.summary ?? {})) await expect(row).toContainText(`${humanizeKey(key)}:`);

  if (expectLate) {
    // A late job stands out in words, not colour only: its badge, by how much, and the line at the top; it comes first.
    const late = page.getByRole("article").filter({ has: page.getByRole("heading", { name: LATE_JOB, exact: true }) });
    await expect(late.getByText("LATE", { exact: true })).toBeVisible();
    await expect(late).toContainText(/late by \d+ h/);
    await expect(page.getByRole("alert").filter({ hasText: `${LATE_JOB} (late by` })).toBeVisible();
    await expect(page.getByRole("article").first().getByText("LATE", { exact: true })).toBeVisible();
  }
});

for (const email of ["seller@demo.test", "shopper@demo.test"]) {
  test(`${email.split("@")[0]} gets no ops alerts or jobs page`, async ({ page }) => {
    await signIn(page, email);
    for (const path of ["/ops/alerts", "/ops/jobs"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login\?.*reason=forbidden/);
      await expect(page.getByRole("heading", { level: 1, name: /^(Alerts|Jobs)$/ })).toHaveCount(0);
    }
  });
}
