import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { businesses, couponBooks, opsAudit, redemptionAudit, users } from "@/db/schema";
import { wireDateTime, wireId } from "@/lib/wire";
import { AUDIT_SOURCES, encodeAuditCursor, type AuditCursor, type AuditSource, type AuditTrailQuery } from "./audit-schemas";

/** What an audit row's `details` may show: its values without any coupon code in them. */
const AuditDetails = z
  .record(z.string(), z.unknown())
  .describe("Free-form: the rest of the row's details as its writer stored them (counts, ids, previous values), without `reason` and without coupon codes");
export type AuditDetails = z.infer<typeof AuditDetails>;

const named = z.strictObject({ id: wireId, name: z.string().nullable().describe("null when it no longer exists") });

/** One entry of the merged audit trail. */
export const AuditTrailEntry = z
  .strictObject({
    id: wireId,
    source: z.enum(AUDIT_SOURCES).describe("`redemption`: a campaign, code or coupon change (redemption_audit); `ops`: an ops action on something else (ops_audit)"),
    at: wireDateTime,
    action: z.string().describe("What was done: CREATE_BOOK, PAUSE, UNPAUSE, DISABLE_CODES, LOCK, REDEEM, REFUND, RETRY_ALERT_DELIVERY, …"),
    actor: z.string().describe("As the trail names it: `ops:<userId>`, `seller:<userId>`, `apiKey:<keyId>`, `system:guard`, `internal`"),
    actorName: z.string().nullable().describe("The signed-in user's name behind a user actor; null for keys, jobs and internal callers"),
    business: named.nullable(),
    campaign: named.nullable().describe("The campaign a coupon change is about; null for ops actions and changes outside a campaign"),
    target: z
      .strictObject({ type: z.string(), id: wireId })
      .nullable()
      .describe("What an ops action acted on (`alert_delivery` and its id); null for coupon changes"),
    previousStatus: z.string().nullable(),
    newStatus: z.string().nullable(),
    redeemCount: z.number().int().nullable(),
    userId: z.string().nullable().describe("The shopper a coupon change concerns"),
    orderId: z.string().nullable(),
    checkoutId: z.string().nullable(),
    reason: z.string().nullable().describe("The reason the actor gave, when there was one (pauses, refunds, code changes, retries)"),
    details: AuditDetails,
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: "AuditTrailEntry" });
export type AuditTrailEntry = z.infer<typeof AuditTrailEntry>;

/** A page of the trail, keyset-paged (no total is counted). */
export const AuditTrailPage = z.strictObject({
  data: z.array(AuditTrailEntry),
  limit: z.number().int().min(1),
  nextCursor: z.string().nullable().describe("Pass as `after` for the next (older) page; null on the last page"),
});
export type AuditTrailPage = z.infer<typeof AuditTrailPage>;

/**
 * Keys a details object could carry a coupon code under. No writer stores codes in details today
 * (code changes keep code ids and positions); this keeps a future one from leaking them to the page.
 */
const CODE_KEY = /^(code|codes|raw_?codes?|normalized_?codes?|coupon_?codes?)$/i;
const MAX_DEPTH = 4;

function withoutCodes(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return "…";
  if (Array.isArray(value)) return value.map((item) => withoutCodes(item, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !CODE_KEY.test(key))
        .map(([key, item]) => [key, withoutCodes(item, depth + 1)]),
    );
  }
  return value;
}

function splitDetails(raw: unknown): { reason: string | null; details: AuditDetails } {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { reason: null, details: {} };
  const { reason, ...rest } = raw as Record<string, unknown>;
  return { reason: typeof reason === "string" ? reason : null, details: withoutCodes(rest) as AuditDetails };
}

/** `at` to the microsecond in UTC, fixed width: the cursor's key (see AuditCursor). */
const atKey = (column: SQL | typeof redemptionAudit.at | typeof opsAudit.at) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const RANK: Record<AuditSource, number> = { redemption: 0, ops: 1 };

/**
 * The keyset condition for one source after `cursor`, in the merged order (at desc, source rank,
 * id desc). Always `at <= cursor.at` first, so the (…, at desc) indexes bound the scan; the rows
 * sharing the cursor's time are then kept or not by source and id.
 */
function afterCursor(source: AuditSource, cursor: AuditCursor | undefined, at: typeof redemptionAudit.at | typeof opsAudit.at, id: typeof redemptionAudit.id | typeof opsAudit.id) {
  if (!cursor) return undefined;
  const cursorAt = sql`${cursor.at}::timestamptz`;
  if (RANK[source] < RANK[cursor.source]) return sql`${at} < ${cursorAt}`;
  if (RANK[source] > RANK[cursor.source]) return sql`${at} <= ${cursorAt}`;
  return sql`${at} <= ${cursorAt} and (${at} < ${cursorAt} or ${id} < ${cursor.id}::uuid)`;
}

type Row = Omit<AuditTrailEntry, "actorName" | "reason" | "details" | "at"> & { at: Date; atKey: string; rawDetails: unknown };

async function redemptionRows(db: DbOrTx, query: AuditTrailQuery, want: number): Promise<Row[]> {
  const t = redemptionAudit;
  const rows = await db
    .select({
      id: t.id,
      at: t.at,
      atKey: atKey(t.at),
      action: t.action,
      actor: t.actor,
      businessId: t.businessId,
      businessName: businesses.name,
      bookId: t.bookId,
      bookName: couponBooks.name,
      previousStatus: t.previousStatus,
      newStatus: t.newStatus,
      redeemCount: t.redeemCount,
      userId: t.userId,
      orderId: t.orderId,
      checkoutId: t.checkoutId,
      rawDetails: t.details,
      ip: t.ip,
      userAgent: t.userAgent,
    })
    .from(t)
    .leftJoin(couponBooks, eq(couponBooks.id, t.bookId))
    .leftJoin(businesses, eq(businesses.id, t.businessId))
    .where(
      and(
        query.bookId ? eq(t.bookId, query.bookId) : undefined,
        query.actor ? eq(t.actor, query.actor) : undefined,
        query.from ? gte(t.at, query.from) : undefined,
        query.to ? lt(t.at, query.to) : undefined,
        afterCursor("redemption", query.after, t.at, t.id),
      ),
    )
    .orderBy(desc(t.at), desc(t.id))
    .limit(want);
  return rows.map(({ businessId, businessName, bookId, bookName, ...row }) => ({
    ...row,
    source: "redemption" as const,
    business: { id: businessId, name: businessName },
    campaign: bookId ? { id: bookId, name: bookName } : null,
    target: null,
  }));
}

async function opsRows(db: DbOrTx, query: AuditTrailQuery, want: number): Promise<Row[]> {
  const t = opsAudit;
  const rows = await db
    .select({
      id: t.id,
      at: t.at,
      atKey: atKey(t.at),
      action: t.action,
      actor: t.actor,
      businessId: t.businessId,
      businessName: businesses.name,
      targetType: t.targetType,
      targetId: t.targetId,
      rawDetails: t.details,
      ip: t.ip,
      userAgent: t.userAgent,
    })
    .from(t)
    .leftJoin(businesses, eq(businesses.id, t.businessId))
    .where(
      and(
        query.actor ? eq(t.actor, query.actor) : undefined,
        query.from ? gte(t.at, query.from) : undefined,
        query.to ? lt(t.at, query.to) : undefined,
        afterCursor("ops", query.after, t.at, t.id),
      ),
    )
    .orderBy(desc(t.at), desc(t.id))
    .limit(want);
  return rows.map(({ businessId, businessName, targetType, targetId, ...row }) => ({
    ...row,
    source: "ops" as const,
    business: businessId ? { id: businessId, name: businessName } : null,
    campaign: null,
    target: { type: targetType, id: targetId },
    previousStatus: null,
    newStatus: null,
    redeemCount: null,
    userId: null,
    orderId: null,
    checkoutId: null,
  }));
}

/** Newest first: time (to the microsecond), then source, then id, both descending where the SQL is. */
function newestFirst(a: Row, b: Row) {
  if (a.atKey !== b.atKey) return a.atKey < b.atKey ? 1 : -1;
  if (a.source !== b.source) return RANK[a.source] - RANK[b.source];
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const USER_ACTOR = /^(ops|seller|shopper):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The names of the signed-in users among the page's actors, in one query. */
async function actorNames(db: DbOrTx, actors: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(actors.map((actor) => USER_ACTOR.exec(actor)?.[2]).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * GET /api/internal/promo/audit and /ops/audit: the audit trail for ops, newest first, merging
 * redemption_audit (every campaign, code, lock, redeem, refund and pause change) and ops_audit (ops
 * actions such as alert retries). Filters: one campaign (only coupon changes have one), an exact
 * actor, and a time range [from, to). Keyset-paged: each source reads at most `limit + 1` rows
 * through its (…, at desc) index, so a page deep in a long trail costs what the first one does, and
 * no count is taken. Details go out without coupon codes; the reason is lifted out of them.
 */
export async function listAuditTrail(db: DbOrTx, query: AuditTrailQuery): Promise<AuditTrailPage> {
  const want = query.limit + 1;
  const sources = AUDIT_SOURCES.filter((source) => source === "redemption" || !query.bookId);
  const fetched = await Promise.all(sources.map((source) => (source === "redemption" ? redemptionRows(db, query, want) : opsRows(db, query, want))));
  const merged = fetched.flat().sort(newestFirst);
  const shown = merged.slice(0, query.limit);
  const last = shown.at(-1);
  const names = await actorNames(
    db,
    shown.map((row) => row.actor),
  );
  return {
    data: shown.map((row) => ({
      id: row.id,
      source: row.source,
      at: row.at.toISOString(),
      action: row.action,
      actor: row.actor,
      actorName: names.get(USER_ACTOR.exec(row.actor)?.[2] ?? "") ?? null,
      business: row.business,
      campaign: row.campaign,
      target: row.target,
      previousStatus: row.previousStatus,
      newStatus: row.newStatus,
      redeemCount: row.redeemCount,
      userId: row.userId,
      orderId: row.orderId,
      checkoutId: row.checkoutId,
      ...splitDetails(row.rawDetails),
      ip: row.ip,
      userAgent: row.userAgent,
    })),
    limit: query.limit,
    nextCursor: merged.length > query.limit && last ? encodeAuditCursor({ at: last.atKey, source: last.source, id: last.id }) : null,
  };
}
