import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponBooks, couponCodes, opsAlertDeliveries, opsAlerts, redemptionAudit } from "@/db/schema";
import { assignCode } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { startAlertReceiver, type AlertReceiver } from "@/testing/alert-receivers";
import { cartOf, promoRedeem } from "@/testing/promo-api";
import { setCampaignStatus } from "@/lib/ops/campaign-status";
import { findGuardCandidates, guardThresholds, pauseCandidate, runBruteforceGuard } from "@/lib/maintenance/bruteforce-guard";

const run = promisify(execFile);
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const randomTail = () => Array.from({ length: 8 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join("");

/** `users` shoppers, `each` guesses apiece with the campaign's prefix, every shopper from its own ip. */
async function guessingBurst(businessId: string, prefix: string, users: number, each: number) {
  const calls = Array.from({ length: users * each }, (_, n) => ({ user: `guesser-${n % users}`, ip: `198.51.100.${n % users}` }));
  for (let start = 0; start < calls.length; start += 25) {
    const results = await Promise.all(
      calls.slice(start, start + 25).map(({ user, ip }) =>
        promoRedeem({ userId: user, code: `${prefix}${randomTail()}`, checkoutId: `chk-${randomUUID()}`, cart: cartOf(businessId), ip }),
      ),
    );
    for (const res of results) expect(res.body.result).toBe("INVALID");
  }
}

const receivers: AlertReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function runJobCli(name: string, env: Record<string, string>) {
  // The child logs its summary line: a development NODE_ENV (tests silence the logger).
  return run("node_modules/.bin/tsx", ["scripts/job.ts", name], { env: { ...process.env, NODE_ENV: "development", LOG_LEVEL: "info", ...env }, timeout: 60_000 });
}

describe("bruteforce-guard", () => {
  it("the issue's scenario: 200 INVALID guesses from 50 shoppers pause the campaign once, audited, one alert delivered to every channel", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 20, pattern: "SUMMER-{XXXXXXXX}" });
    const bystander = await activeBook(businessId, { codes: 5, pattern: "WINTER-{XXXXXXXX}" });
    expect(book.codePrefix).toBe("SUMMER-");
    await guessingBurst(businessId, "SUMMER-", 50, 4);

    const [slack, pagerduty, webhook] = await Promise.all([startAlertReceiver(), startAlertReceiver(), startAlertReceiver()]);
    receivers.push(slack, pagerduty, webhook);
    const env = {
      OPS_ALERT_SLACK_WEBHOOK_URL: slack.url,
      OPS_ALERT_PAGERDUTY_EVENTS_URL: pagerduty.url,
      OPS_ALERT_PAGERDUTY_ROUTING_KEY: "test-routing-key",
      OPS_ALERT_WEBHOOK_URL: webhook.url,
      // By default an autopause pages nobody (slack + generic); this test routes it to PagerDuty too.
      OPS_ALERT_ESCALATION_POLICY_JSON: JSON.stringify({ promo_campaign_auto_paused: { channels: ["pagerduty", "slack", "generic"] } }),
    };
    const first = await runJobCli("bruteforce-guard", env);
    const summary = first.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line)).find((line) => line.msg === "job finished");
    expect(summary).toMatchObject({ job: "bruteforce-guard", candidates: 1, paused: 1, alertsRaised: 1, alertsDelivered: 3 });

    const [paused] = await db.select().from(couponBooks).where(eq(couponBooks.id, book.id));
    expect(paused).toMatchObject({ status: "PAUSED", pausedBy: "system:guard" });
    const [untouched] = await db.select().from(couponBooks).where(eq(couponBooks.id, bystander.id));
    expect(untouched!.status).toBe("ACTIVE");
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "PAUSE"));
    expect(audit).toEqual([expect.objectContaining({ bookId: book.id, actor: "system:guard", previousStatus: "ACTIVE", newStatus: "PAUSED" })]);
    const alerts = await db.select().from(opsAlerts);
    expect(alerts).toEqual([expect.objectContaining({ eventType: "promo_campaign_auto_paused", severity: "warning", escalation: "ops_l2", bookId: book.id })]);
    expect(alerts[0]!.payload).toMatchObject({ trigger: "FAILED_ATTEMPTS", failedAttempts: 200, distinctUsers: 50, distinctIps: 50 });

    expect(pagerduty.accepted()).toHaveLength(1);
    expect(pagerduty.accepted()[0]).toMatchObject({
      routing_key: "test-routing-key",
      event_action: "trigger",
      dedup_key: alerts[0]!.dedupeKey,
      payload: { summary: expect.stringContaining("auto-paused"), severity: "warning", source: expect.any(String) },
    });
    expect(slack.accepted()).toHaveLength(1);
    expect(slack.accepted()[0]).toMatchObject({ text: expect.stringContaining("auto-paused") });
    expect(webhook.accepted()).toHaveLength(1);
    expect(webhook.accepted()[0]).toMatchObject({ event: "promo_campaign_auto_paused", severity: "warning", escalation: "ops_l2", bookId: book.id });
    const deliveries = await db.select().from(opsAlertDeliveries);
    expect(deliveries.map((d) => [d.channel, d.status]).sort()).toEqual([["generic", "DELIVERED"], ["pagerduty", "DELIVERED"], ["slack", "DELIVERED"]]);

    // No raw code anywhere in what left the platform.
    const sent = JSON.stringify([pagerduty.requests, slack.requests, webhook.requests, first.stdout]);
    expect(sent).not.toMatch(/SUMMER-[2-9A-Z]{8}/);

    const second = await runJobCli("bruteforce-guard", env);
    expect(second.stdout).toContain('"paused":0');
    expect(await db.select().from(opsAlerts)).toHaveLength(1);
    expect(await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "PAUSE"))).toHaveLength(1);
    expect([slack.requests.length, pagerduty.requests.length, webhook.requests.length]).toEqual([1, 1, 1]);
  }, 120_000);

  it("below the thresholds nothing is paused; GENERIC campaigns are never paused for popularity", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 5, pattern: "FALL-{XXXXXXXX}" });
    await genericBook(businessId, "FALLSALE", { codePrefix: "FALL" });
    expect(book.codePrefix).toBe("FALL-");
    // 99 failures from 33 shoppers: one short of the default 100.
    await guessingBurst(businessId, "FALL-", 33, 3);
    expect(await runBruteforceGuard(db)).toMatchObject({ candidates: 0, paused: 0 });
    // Unknown codes with only the GENERIC book's prefix are attributed to it: still no pause.
    await guessingBurst(businessId, "FALLX", 40, 3);
    expect(await runBruteforceGuard(db)).toMatchObject({ paused: 0 });
    const statuses = await db.select({ id: couponBooks.id, status: couponBooks.status }).from(couponBooks);
    expect(statuses).toHaveLength(2);
    expect(statuses.every((b) => b.status === "ACTIVE")).toBe(true);
  }, 60_000);

  it("a campaign ops unpaused is not re-paused by the same old attempts, but a new burst pauses it again", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 5, pattern: "SPRING-{XXXXXXXX}" });
    await guessingBurst(businessId, "SPRING-", 25, 4);
    expect(await runBruteforceGuard(db)).toMatchObject({ paused: 1 });

    await db.transaction((tx) => setCampaignStatus(tx, { kind: "internal" }, { ip: null, userAgent: null }, { bookId: book.id, status: "ACTIVE", reason: "false positive" }));
    expect(await runBruteforceGuard(db)).toMatchObject({ candidates: 0, paused: 0 });

    await guessingBurst(businessId, "SPRING-", 25, 4);
    expect(await runBruteforceGuard(db)).toMatchObject({ paused: 1, alertsRaised: 1 });
    expect(await db.select().from(opsAlerts)).toHaveLength(2);
  }, 60_000);

  it("one real code tried by many other shoppers (a leaked code) pauses its campaign", async () => {
    const { businessId, token } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 5, pattern: "VIP-{XXXXXXXX}" });
    const [code] = await db.select().from(couponCodes).where(eq(couponCodes.bookId, book.id)).limit(1);
    expect((await assignCode({ token }, code!.code, { userId: "owner" })).status).toBe(201);
    const tries = await Promise.all(
      Array.from({ length: 10 }, (_, n) => promoRedeem({ userId: `stranger-${n}`, code: code!.code, checkoutId: `chk-${n}`, cart: cartOf(businessId) })),
    );
    expect(tries.every((res) => res.body.result === "INVALID")).toBe(true);
    expect(await runBruteforceGuard(db)).toMatchObject({ paused: 1 });
    const [alert] = await db.select().from(opsAlerts);
    expect(alert!.payload).toMatchObject({ trigger: "LEAKED_CODE", topCodeHashDistinctUsers: 10 });
  });

  it("evidence read before an operator's resume does not pause the campaign again", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 5, pattern: "AUTUMN-{XXXXXXXX}" });
    await guessingBurst(businessId, "AUTUMN-", 25, 4);
    const [candidate] = await findGuardCandidates(db, guardThresholds());
    expect(candidate!.book_id).toBe(book.id);

    // Between the guard's read and its pause, ops pause and resume the campaign.
    const ops = { kind: "internal" } as const;
    const meta = { ip: null, userAgent: null };
    await db.transaction((tx) => setCampaignStatus(tx, ops, meta, { bookId: book.id, status: "PAUSED" }));
    await db.transaction((tx) => setCampaignStatus(tx, ops, meta, { bookId: book.id, status: "ACTIVE", reason: "checked" }));

    expect(await pauseCandidate(db, candidate!, guardThresholds())).toBeNull();
    const [after] = await db.select().from(couponBooks).where(eq(couponBooks.id, book.id));
    expect(after!.status).toBe("ACTIVE");
    expect(await db.select().from(opsAlerts)).toHaveLength(0);
  });

  it("a code ops disabled (containment) tried again by many shoppers does not pause the resumed campaign", async () => {
    const { businessId, token } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 5, pattern: "GIFT-{XXXXXXXX}" });
    const [code] = await db.select().from(couponCodes).where(eq(couponCodes.bookId, book.id)).limit(1);
    expect((await assignCode({ token }, code!.code, { userId: "owner" })).status).toBe(201);
    await db.update(couponCodes).set({ status: "DISABLED" }).where(eq(couponCodes.id, code!.id));
    const tries = await Promise.all(
      Array.from({ length: 12 }, (_, n) => promoRedeem({ userId: `stranger-${n}`, code: code!.code, checkoutId: `chk-${n}`, cart: cartOf(businessId) })),
    );
    expect(tries.every((res) => res.body.result === "INVALID")).toBe(true);
    expect(await runBruteforceGuard(db)).toMatchObject({ candidates: 0, paused: 0 });
  });
});
