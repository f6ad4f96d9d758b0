import type { z } from "zod";
import { and, count, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponAssignments, couponBooks, couponCodes } from "@/db/schema";
import { actorBusinessId, isShopper, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { pageOf } from "@/lib/wire";
import { AssignmentDto, toAssignmentDto } from "./assignment-dto";
import { dbNow } from "./db-now";

/** One page of a user's assignments, newest first. */
export const UserAssignmentsPage = pageOf(AssignmentDto);
export type UserAssignmentsPage = z.infer<typeof UserAssignmentsPage>;

/**
 * A user's coupons, newest first. Shoppers see only their own; sellers and keys only their
 * business's; ops everything.
 */
export async function listUserAssignments(
  db: DbOrTx,
  actor: Actor,
  userId: string,
  page: { limit: number; offset: number },
): Promise<UserAssignmentsPage> {
  if (isShopper(actor) && actor.kind === "user" && actor.userId !== userId) {
    throw new AppError("FORBIDDEN", "Shoppers may only list their own coupons");
  }
  const own = actorBusinessId(actor);
  const where = and(eq(couponAssignments.userId, userId), own ? eq(couponAssignments.businessId, own) : undefined);
  const [rows, [totals], now] = await Promise.all([
    db
      .select({ assignment: couponAssignments, code: couponCodes.code, maxRedeems: couponBooks.maxRedeemsPerUser })
      .from(couponAssignments)
      .innerJoin(couponCodes, eq(couponCodes.id, couponAssignments.codeId))
      .innerJoin(couponBooks, eq(couponBooks.id, couponAssignments.bookId))
      .where(where)
      .orderBy(desc(couponAssignments.assignedAt), desc(couponAssignments.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: count() }).from(couponAssignments).where(where),
    dbNow(db),
  ]);
  return {
    data: rows.map((r) => toAssignmentDto(r.assignment, r.code, r.maxRedeems, now)),
    total: totals?.total ?? 0,
    limit: page.limit,
    offset: page.offset,
  };
}
