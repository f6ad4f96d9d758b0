import { z } from "zod";
import { INSTANT_RANGE_MESSAGE, isRealTimestamp, isStorableInstant, text } from "@/lib/validation";
import { pagination } from "@/lib/pagination";

/** The two trails the ops audit page merges: coupon changes (redemption_audit) and ops actions (ops_audit). */
export const AUDIT_SOURCES = ["redemption", "ops"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

/**
 * Where a page of the merged trail stopped: the last entry's time to the microsecond (a JS Date
 * keeps milliseconds, and a cursor a microsecond off would skip or repeat entries written in one
 * transaction, which all share its time), its source and id.
 */
export interface AuditCursor {
  at: string;
  source: AuditSource;
  id: string;
}

/** `at` as the reader selects it: UTC, always six fractional digits, so it compares as text too. */
const CURSOR_AT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const encodeAuditCursor = (cursor: AuditCursor) => Buffer.from(JSON.stringify([cursor.at, cursor.source, cursor.id])).toString("base64url");

function decodeAuditCursor(raw: string): AuditCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [at, source, id] = value as unknown[];
    if (typeof at !== "string") return null;
    const atParts = CURSOR_AT.exec(at);
    if (!atParts || !isRealTimestamp(atParts[1]!, atParts[2]!)) return null;
    if (source !== "redemption" && source !== "ops") return null;
    if (typeof id !== "string" || !UUID.test(id)) return null;
    return { at, source, id };
  } catch {
    return null;
  }
}

/** A form's empty field means "no filter", like a missing parameter. */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/**
 * An instant: ISO 8601 with an offset, or without one (what a datetime-local field sends), which
 * is read as UTC: the consoles print every time in UTC.
 */
const instant = text()
  .trim()
  .pipe(z.iso.datetime({ offset: true, local: true, message: "must be a date and time such as 2026-12-01T09:30 (UTC) or 2026-12-01T09:30:00+01:00" }))
  .transform((value) => new Date(/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) ? value : `${value}Z`))
  .refine(isStorableInstant, { message: INSTANT_RANGE_MESSAGE });

/**
 * Filters of the ops audit trail (GET /api/internal/promo/audit and /ops/audit): a campaign, an
 * exact actor label (`ops:<userId>`, `system:guard`, `apiKey:<keyId>`, `internal`, …) and a time
 * range [from, to). Newest first, keyset-paged by `after`. A bad filter is a 400 (a filter that
 * silently matched everything would mislead); `limit` is clamped as everywhere.
 */
export const AuditTrailQuery = z
  .object({
    bookId: optional(z.uuid({ message: "must be a campaign id (a uuid)" })).describe("Only the changes of this campaign (ops actions have none, so they drop out)"),
    actor: optional(text().trim().min(1).max(200)).describe("Exactly this actor label: `ops:<userId>`, `seller:<userId>`, `apiKey:<keyId>`, `system:guard`, `internal`"),
    from: optional(instant).describe("Entries at or after this instant: ISO 8601, read as UTC without an offset"),
    to: optional(instant).describe("Entries before this instant (after `from`): ISO 8601, read as UTC without an offset"),
    after: optional(
      text()
        .max(400)
        .transform((raw, ctx) => {
          const cursor = decodeAuditCursor(raw);
          if (!cursor) {
            ctx.addIssue({ code: "custom", message: "is not a cursor this list gave" });
            return z.NEVER;
          }
          return cursor;
        }),
    ).describe("The `nextCursor` of the previous page"),
    limit: pagination.limit,
  })
  .refine((query) => !query.from || !query.to || query.from < query.to, { message: "must be after from", path: ["to"] });
export type AuditTrailQuery = z.infer<typeof AuditTrailQuery>;

/** The audit page's "pick a campaign by name" field: part of a name, matched case-insensitively. */
export const CampaignNameInput = text().trim().min(1, "enter part of a campaign name").max(200);
