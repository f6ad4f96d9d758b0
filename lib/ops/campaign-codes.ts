import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { getBookOrThrow } from "@/lib/coupons/access";
import { writeAudit } from "@/lib/coupons/audit";
import type { RequestMeta } from "@/lib/request-meta";
import { logger } from "@/lib/log";
import type { CampaignCodesInput } from "./schemas";

const count = z.number().int().min(0);

/** What a disable or enable did: counts only, never a code. */
export const CodesChangeResult = z
  .strictObject({
    updated: count.describe("Codes switched by this call"),
    unchanged: count.describe("Codes of the campaign (listed ones, or all) already in the target state, or in a state this switch leaves alone"),
    notFound: z.strictObject({
      count,
      positions: z.array(count).optional().describe("For a list: which entries (0-based positions in it) are no code of this campaign; absent with `all`"),
    }),
  })
  .meta({ id: "CampaignCodesChange" });
export type CodesChangeResult = z.infer<typeof CodesChangeResult>;

type Direction = {
  action: "DISABLE_CODES" | "ENABLE_CODES";
  from: SQL;
  to: SQL;
};

const DISABLE: Direction = {
  action: "DISABLE_CODES",
  from: sql`${couponCodes.status} in ('AVAILABLE', 'ASSIGNED')`,
  to: sql`'DISABLED'::code_status`,
};

/** A code goes back to what its holders make it: ASSIGNED while someone holds it (a UNIQUE code), AVAILABLE otherwise. */
const ENABLE: Direction = {
  action: "ENABLE_CODES",
  from: sql`${couponCodes.status} = 'DISABLED'`,
  to: sql`(case when exists (
      select 1 from coupon_assignments a where a.code_id = ${couponCodes.id} and not a.shared
    ) then 'ASSIGNED' else 'AVAILABLE' end)::code_status`,
};

/**
 * One set-based UPDATE over the book's codes (or the listed ones), whatever the book's size, and
 * one audit row for the call. A code that is already in the target state counts as unchanged.
 */
async function changeCodes(db: Db, actor: Actor, bookId: string, input: CampaignCodesInput, meta: RequestMeta, direction: Direction) {
  const result = await db.transaction(async (tx): Promise<CodesChangeResult> => {
    // Ops reach every campaign; a seller (the console's code table) only their own business's.
    const book = await getBookOrThrow(tx, actor, bookId);
    const ofBook = and(eq(couponCodes.businessId, book.businessId), eq(couponCodes.bookId, book.id))!;

    let outcome: CodesChangeResult;
    let codeIds: string[] | undefined;
    if (input.all) {
      const updated = await tx.execute(sql`update coupon_codes set status = ${direction.to} where ${ofBook} and ${direction.from}`);
      const [codes] = await tx.execute<{ total: number }>(sql`select count(*)::int as total from coupon_codes where ${ofBook}`);
      outcome = { updated: updated.count, unchanged: Number(codes?.total ?? 0) - updated.count, notFound: { count: 0 } };
    } else {
      const listed = input.codes!;
      const distinct = [...new Set(listed)];
      const updated = await tx
        .update(couponCodes)
        .set({ status: direction.to })
        .where(and(ofBook, inArray(couponCodes.code, distinct), direction.from))
        .returning({ id: couponCodes.id });
      const found = await tx.select({ code: couponCodes.code }).from(couponCodes).where(and(ofBook, inArray(couponCodes.code, distinct)));
      const known = new Set(found.map((row) => row.code));
      const positions = listed.flatMap((code, position) => (known.has(code) ? [] : [position]));
      outcome = {
        updated: updated.length,
        unchanged: found.length - updated.length,
        notFound: { count: positions.length, positions },
      };
      codeIds = updated.map((row) => row.id);
    }

    await writeAudit(tx, actor, meta, {
      businessId: book.businessId,
      bookId: book.id,
      action: direction.action,
      details: {
        ...(input.all ? { all: true } : { listed: input.codes!.length, codeIds, notFoundPositions: outcome.notFound.positions }),
        updated: outcome.updated,
        unchanged: outcome.unchanged,
        notFound: outcome.notFound.count,
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
    return outcome;
  });
  logger.info({ bookId, action: direction.action, all: input.all ?? false, updated: result.updated, unchanged: result.unchanged, notFound: result.notFound.count }, "campaign codes changed");
  return result;
}

/**
 * POST /api/internal/promo/campaigns/:id/codes/disable: containment of a leaked batch (seed 001).
 * AVAILABLE and ASSIGNED codes become DISABLED, so they answer INVALID at checkout; a reservation
 * already held is left to be applied or to expire (the payment may be in flight).
 */
export const disableCampaignCodes = (db: Db, actor: Actor, bookId: string, input: CampaignCodesInput, meta: RequestMeta) =>
  changeCodes(db, actor, bookId, input, meta, DISABLE);

/** POST /api/internal/promo/campaigns/:id/codes/enable: the reverse, for codes disabled by mistake. */
export const enableCampaignCodes = (db: Db, actor: Actor, bookId: string, input: CampaignCodesInput, meta: RequestMeta) =>
  changeCodes(db, actor, bookId, input, meta, ENABLE);
