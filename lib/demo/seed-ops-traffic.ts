import { and, eq, max, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { couponAssignments, couponBooks, couponCodes, promoAttempts, purchases, redemptions, type PromoResult } from "@/db/schema";
import { rewindRollupIn } from "@/lib/jobs/hourly-rollup";
import { ATTEMPT_ROLLUP } from "@/lib/promo/attempt-rollup";
import { hashCode, hashIp, visiblePrefix } from "@/lib/promo/hashing";

/**
 * Demo promo traffic for the ops dashboard (`/ops`): attempts with a mix of results over the last
 * 14 days (this week and the week it is compared with), guessing bursts the guard indicators list,
 * and reservations of the demo WELCOME10 code over the last 7 days with what became of them.
 *
 * Idempotent and topping up: the traffic is cut in 10-minute slots, each generated from its own
 * start time only, and a run fills the slots after the newest one already seeded (up to the last
 * complete slot), so running the seed again later extends the traffic to the present instead of
 * doubling it. Rows hold code hashes, never codes; every made-up code carries a `0`, a character no
 * generated code has, so none of them is a real code of the demo books.
 */

/** Who the rows say made the calls: how this seed finds what it seeded before. */
export const OPS_TRAFFIC_ACTOR = "seed:ops-traffic";
export const OPS_TRAFFIC_SLOT_MS = 10 * 60_000;
const HISTORY_MS = 14 * 24 * 3_600_000;
const WEEK_MS = 7 * 24 * 3_600_000;
/**
 * No failed attempt on a UNIQUE campaign is seeded this close to the seed's now: the brute-force
 * guard (10-minute window by default) must never read seeded traffic as an attack on the demo books
 * the other pages and specs expect ACTIVE.
 */
const QUIET_MS = 20 * 60_000;
/** A guessing burst every 37 slots (about every 6 hours), so every window has guard candidates to show. */
const BURST_EVERY = 37;

type Campaign = "welcome" | "summer" | "trail";

interface Kind {
  campaign: Campaign;
  result: PromoResult;
  reason: string;
  /** An unknown code attributed to the campaign by its prefix, instead of one of its codes. */
  unknownCode?: boolean;
  /** Relative weights this week and in the week before (a slightly healthier week, to compare with). */
  now: number;
  lastWeek: number;
}

const KINDS: Kind[] = [
  { campaign: "welcome", result: "ACCEPTED", reason: "RESERVED", now: 30, lastWeek: 34 },
  { campaign: "welcome", result: "EXHAUSTED", reason: "CODE_USES_EXHAUSTED", now: 6, lastWeek: 5 },
  { campaign: "welcome", result: "NOT_APPLICABLE", reason: "NO_ELIGIBLE_ITEMS", now: 4, lastWeek: 3 },
  { campaign: "welcome", result: "NOT_APPLICABLE", reason: "ALREADY_REDEEMED_IN_CHECKOUT", now: 1, lastWeek: 1 },
  { campaign: "welcome", result: "RATE_LIMITED", reason: "RATE_LIMITED_USER", now: 3, lastWeek: 2 },
  { campaign: "summer", result: "ACCEPTED", reason: "RESERVED", now: 15, lastWeek: 17 },
  { campaign: "summer", result: "INVALID", reason: "UNKNOWN_CODE", unknownCode: true, now: 7, lastWeek: 4 },
  { campaign: "summer", result: "INVALID", reason: "NOT_OWNER", now: 2, lastWeek: 1 },
  { campaign: "summer", result: "INVALID", reason: "CODE_DISABLED", now: 1, lastWeek: 1 },
  { campaign: "summer", result: "PAUSED", reason: "BOOK_PAUSED", now: 1, lastWeek: 0 },
  { campaign: "summer", result: "RATE_LIMITED", reason: "RATE_LIMITED_IP", now: 2, lastWeek: 1 },
  { campaign: "trail", result: "ACCEPTED", reason: "RESERVED", now: 12, lastWeek: 13 },
  { campaign: "trail", result: "NOT_APPLICABLE", reason: "MAX_CODES_PER_USER", now: 3, lastWeek: 2 },
  { campaign: "trail", result: "EXPIRED", reason: "BOOK_EXPIRED", now: 1, lastWeek: 1 },
  { campaign: "trail", result: "EXHAUSTED", reason: "CODE_USES_EXHAUSTED", now: 1, lastWeek: 1 },
];

/** What the guard counts as an attack on a campaign: INVALID attempts on a UNIQUE book. */
const isGuardEvidence = (kind: Kind) => kind.result === "INVALID" && kind.campaign !== "welcome";

interface Book {
  id: string;
  businessId: string;
  codePrefix: string | null;
  lockTtlSeconds: number;
  discountValue: number;
  currency: string;
}

interface DemoBooks {
  welcome: Book & { codeId: string; code: string };
  summer: Book;
  trail: Book;
}

/** The two demo sellers of seed.ts: Demo Shop (Summer 2026, WELCOME10) and Trail Outfitters (Trail Club 15%). */
export interface DemoSellers {
  businessId: string;
  secondBusinessId: string;
}

export interface OpsTrafficSummary {
  attempts: number;
  reservations: number;
  /** The first and last slot seeded by this run (ISO 8601), or null when there was nothing to add. */
  from: string | null;
  to: string | null;
}

/** mulberry32: a small seeded generator, so a slot's traffic depends on its start time only. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const CODE_CHARS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/** A made-up code: `0` then five pattern characters; generated codes never hold a `0`. */
const madeUpCode = (prefix: string, next: () => number) => `${prefix}0${Array.from({ length: 5 }, () => CODE_CHARS[Math.floor(next() * CODE_CHARS.length)]).join("")}`;

function pick(kinds: Kind[], weight: (kind: Kind) => number, r: number) {
  const total = kinds.reduce((sum, kind) => sum + weight(kind), 0);
  let at = r * total;
  for (const kind of kinds) {
    at -= weight(kind);
    if (at < 0) return kind;
  }
  return kinds[kinds.length - 1]!;
}

async function bookNamed(tx: Tx, businessId: string, name: string) {
  const [row] = await tx
    .select({
      id: couponBooks.id,
      businessId: couponBooks.businessId,
      codePrefix: couponBooks.codePrefix,
      lockTtlSeconds: couponBooks.lockTtlSeconds,
      discountValue: couponBooks.discountValue,
      currency: couponBooks.currency,
    })
    .from(couponBooks)
    .where(and(eq(couponBooks.businessId, businessId), eq(couponBooks.name, name)));
  return row ?? null;
}

/** The demo books of seed.ts, by their names; null when one is missing (renamed, or never seeded). */
async function demoBooks(tx: Tx, sellers: DemoSellers): Promise<DemoBooks | null> {
  const summer = await bookNamed(tx, sellers.businessId, "Summer 2026");
  const welcome = await bookNamed(tx, sellers.businessId, "Welcome 10%");
  const trail = await bookNamed(tx, sellers.secondBusinessId, "Trail Club 15%");
  if (!summer || !welcome || !trail) return null;
  const [code] = await tx.select({ id: couponCodes.id, code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, welcome.id)).limit(1);
  if (!code) return null;
  return { summer, trail, welcome: { ...welcome, codeId: code.id, code: code.code } };
}

type AttemptRow = typeof promoAttempts.$inferInsert;
type Reservation = { at: Date; userId: string; checkoutId: string; next: () => number };

/** One slot's attempts (and the WELCOME10 reservations its accepted attempts made, within the last 7 days). */
function slotTraffic(slotStart: number, now: number, books: DemoBooks, burst: boolean) {
  const next = random(slotStart / OPS_TRAFFIC_SLOT_MS);
  const age = now - slotStart;
  const hour = new Date(slotStart).getUTCHours();
  // Busier in the (European) afternoon and evening, quiet at night; at least one attempt per slot,
  // so the newest seeded attempt always marks the newest seeded slot.
  const expected = 3 + 2 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
  const count = Math.max(1, Math.floor(expected + next() * 2));
  const kinds = age < QUIET_MS + OPS_TRAFFIC_SLOT_MS ? KINDS.filter((kind) => !isGuardEvidence(kind)) : KINDS;
  const weight = (kind: Kind) => (age >= WEEK_MS ? kind.lastWeek : kind.now);
  const slotKey = slotStart / OPS_TRAFFIC_SLOT_MS;

  const attempts: AttemptRow[] = [];
  const reservations: Reservation[] = [];
  const at = () => new Date(slotStart + Math.floor(next() * OPS_TRAFFIC_SLOT_MS));
  const ip = () => (next() < 0.8 ? hashIp(`198.51.100.${1 + Math.floor(next() * 250)}`) : null);

  for (let i = 0; i < count; i++) {
    const kind = pick(kinds, weight, next());
    const when = at();
    const checkoutId = `demo-checkout-${slotKey}-${i}`;
    const book = books[kind.campaign];
    let userId = `demo-shopper-${1 + Math.floor(next() * 300)}`;
    let code: string;
    if (kind.campaign === "welcome") {
      code = books.welcome.code;
      if (kind.result === "ACCEPTED") {
        // Each accepted WELCOME10 is a first use, by a shopper of its own (once per shopper).
        userId = `demo-shopper-${slotKey}-${i}`;
        if (age < WEEK_MS) reservations.push({ at: when, userId, checkoutId, next });
      }
    } else {
      code = madeUpCode(book.codePrefix ?? "", next);
    }
    attempts.push({
      businessId: book.businessId,
      normalizedCodeHash: hashCode(code),
      codePrefix: visiblePrefix(code, book.codePrefix),
      bookId: kind.unknownCode ? null : book.id,
      attributedBookId: kind.unknownCode ? book.id : null,
      userId,
      actor: OPS_TRAFFIC_ACTOR,
      ipHash: ip(),
      checkoutId,
      result: kind.result,
      reason: kind.reason,
      attemptedAt: when,
    });
  }

  if (burst) {
    // Someone guessing one code under Summer 2026's prefix from three accounts and two addresses:
    // a candidate hash on the dashboard, far below the guard's own thresholds.
    const code = madeUpCode(books.summer.codePrefix ?? "", next);
    for (let k = 0; k < 6; k++) {
      attempts.push({
        businessId: books.summer.businessId,
        normalizedCodeHash: hashCode(code),
        codePrefix: visiblePrefix(code, books.summer.codePrefix),
        bookId: null,
        attributedBookId: books.summer.id,
        userId: `demo-guesser-${slotKey}-${k % 3}`,
        actor: OPS_TRAFFIC_ACTOR,
        ipHash: hashIp(`203.0.113.${(slotKey % 100) + (k % 2)}`),
        checkoutId: `demo-checkout-${slotKey}-burst-${k}`,
        result: "INVALID",
        reason: "UNKNOWN_CODE",
        attemptedAt: at(),
      });
    }
  }
  return { attempts, reservations };
}

/**
 * WELCOME10 reservations as the checkout pipeline leaves them: an assignment of the shared code per
 * shopper and a ledger row held for the book's lock TTL. One still inside its hold stays reserved
 * (the assignment LOCKED, for the expiry job to tidy like any other); the others were applied (with
 * the seller's PAID purchase, so reconciliation finds nothing to report), released or expired.
 */
async function insertReservations(tx: Tx, book: DemoBooks["welcome"], list: Reservation[], now: number) {
  for (let start = 0; start < list.length; start += 500) {
    const chunk = list.slice(start, start + 500).map((r) => {
      const expiresAt = new Date(r.at.getTime() + book.lockTtlSeconds * 1000);
      const roll = r.next();
      const status = expiresAt.getTime() > now ? "PR_RESERVED" : roll < 0.65 ? "PR_APPLIED" : roll < 0.8 ? "PR_RELEASED" : "PR_EXPIRED";
      const appliedAt = new Date(Math.min(r.at.getTime() + 30_000 + Math.floor(r.next() * 200_000), expiresAt.getTime() - 1000));
      const subtotal = 1_200 + 100 * Math.floor(r.next() * 80);
      const discount = Math.round((subtotal * book.discountValue) / 100);
      return { ...r, expiresAt, status, appliedAt, subtotal, discount, orderId: `demo-order-${r.checkoutId.slice("demo-checkout-".length)}` } as const;
    });
    const assignments = await tx
      .insert(couponAssignments)
      .values(
        chunk.map((r) => ({
          businessId: book.businessId,
          codeId: book.codeId,
          bookId: book.id,
          userId: r.userId,
          shared: true,
          status: r.status === "PR_APPLIED" ? ("REDEEMED" as const) : r.status === "PR_RESERVED" ? ("LOCKED" as const) : ("ASSIGNED" as const),
          redeemCount: r.status === "PR_APPLIED" ? 1 : 0,
          lockedAt: r.status === "PR_RESERVED" ? r.at : null,
          lockedUntil: r.status === "PR_RESERVED" ? r.expiresAt : null,
          lockCheckoutId: r.status === "PR_RESERVED" ? r.checkoutId : null,
          assignedAt: r.at,
          redeemedAt: r.status === "PR_APPLIED" ? r.appliedAt : null,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: couponAssignments.id, userId: couponAssignments.userId });
    const assignmentOf = new Map(assignments.map((a) => [a.userId, a.id]));
    const placed = chunk.filter((r) => assignmentOf.has(r.userId));
    if (placed.length === 0) continue;
    await tx.insert(redemptions).values(
      placed.map((r) => {
        const applied = r.status === "PR_APPLIED";
        return {
          businessId: book.businessId,
          assignmentId: assignmentOf.get(r.userId)!,
          bookId: book.id,
          userId: r.userId,
          checkoutId: r.checkoutId,
          orderId: applied ? r.orderId : null,
          status: r.status,
          discountAmount: r.discount,
          orderSubtotal: r.subtotal,
          orderTotal: r.subtotal - r.discount,
          currency: book.currency,
          redeemNumber: applied ? 1 : null,
          maxRedeems: applied ? 1 : null,
          reservedAt: r.at,
          expiresAt: r.expiresAt,
          appliedAt: applied ? r.appliedAt : null,
          createdAt: r.at,
        };
      }),
    );
    const paid = placed.filter((r) => r.status === "PR_APPLIED");
    if (paid.length > 0) {
      await tx.insert(purchases).values(
        paid.map((r) => ({
          businessId: book.businessId,
          userId: r.userId,
          checkoutId: r.checkoutId,
          orderId: r.orderId,
          subtotal: r.subtotal,
          discountAmount: r.discount,
          total: r.subtotal - r.discount,
          currency: book.currency,
          status: "PAID" as const,
          paidAt: r.appliedAt,
          createdAt: r.appliedAt,
          updatedAt: r.appliedAt,
        })),
      );
    }
  }
  return list.length;
}

/**
 * Seeds the demo traffic up to `now` (the database's clock unless given: tests seed "earlier"
 * first to check the top-up). Needs the demo books of seed.ts; without them it adds nothing.
 */
export async function seedOpsTraffic(db: Db, sellers: DemoSellers, options: { now?: Date } = {}): Promise<OpsTrafficSummary> {
  return db.transaction(async (tx) => {
    const books = await demoBooks(tx, sellers);
    const none = { attempts: 0, reservations: 0, from: null, to: null };
    if (!books) return none;
    const [clock] = await tx.execute<{ now: string }>(sql`select now() as now`);
    const now = (options.now ?? new Date(clock!.now)).getTime();
    const [seeded] = await tx.select({ newest: max(promoAttempts.attemptedAt) }).from(promoAttempts).where(eq(promoAttempts.actor, OPS_TRAFFIC_ACTOR));
    const floor = (t: number) => Math.floor(t / OPS_TRAFFIC_SLOT_MS) * OPS_TRAFFIC_SLOT_MS;
    const lastComplete = floor(now) - OPS_TRAFFIC_SLOT_MS;
    const first = Math.max(floor(now - HISTORY_MS), seeded?.newest ? floor(new Date(seeded.newest).getTime()) + OPS_TRAFFIC_SLOT_MS : -Infinity);
    if (first > lastComplete) return none;
    // The newest slot old enough for a burst always gets one, so a fresh demo shows a candidate in its last hour.
    const newestBurst = floor(now - QUIET_MS) - OPS_TRAFFIC_SLOT_MS;

    const attempts: AttemptRow[] = [];
    const reservations: Reservation[] = [];
    for (let slot = first; slot <= lastComplete; slot += OPS_TRAFFIC_SLOT_MS) {
      const burst = now - slot >= QUIET_MS + OPS_TRAFFIC_SLOT_MS && ((slot / OPS_TRAFFIC_SLOT_MS) % BURST_EVERY === 0 || slot === newestBurst);
      const traffic = slotTraffic(slot, now, books, burst);
      attempts.push(...traffic.attempts);
      reservations.push(...traffic.reservations);
    }
    for (let start = 0; start < attempts.length; start += 1000) {
      await tx.insert(promoAttempts).values(attempts.slice(start, start + 1000));
    }
    const reserved = await insertReservations(tx, books.welcome, reservations, now);
    // Past hours the attempt-rollup job may have counted already (a top-up fills the slots since the last run).
    await rewindRollupIn(tx, ATTEMPT_ROLLUP, new Date(first));
    return { attempts: attempts.length, reservations: reserved, from: new Date(first).toISOString(), to: new Date(lastComplete).toISOString() };
  });
}
