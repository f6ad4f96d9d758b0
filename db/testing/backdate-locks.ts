import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/** Whose locks to move: every filter given must match (at least one is required). */
export interface LockScope {
  businessId?: string;
  bookId?: string;
  userId?: string;
  checkoutId?: string;
}

function matching(scope: LockScope, checkoutColumn: "lock_checkout_id" | "checkout_id"): SQL {
  const filters: SQL[] = [];
  if (scope.businessId) filters.push(sql`business_id = ${scope.businessId}`);
  if (scope.bookId) filters.push(sql`book_id = ${scope.bookId}`);
  if (scope.userId) filters.push(sql`user_id = ${scope.userId}`);
  if (scope.checkoutId) filters.push(sql`${sql.identifier(checkoutColumn)} = ${scope.checkoutId}`);
  // An empty scope would silently move every lock in the database: refuse it.
  if (filters.length === 0) throw new Error("backdateLocks needs a scope");
  return sql.join(filters, sql` and `);
}

/**
 * Moves the matching locks (coupon_assignments.locked_at/locked_until) and live reservations
 * (redemptions.reserved_at/expires_at) back in time, keeping each window's length, so a test sees a
 * TTL pass without sleeping through it. By default each window is moved so that it ended one second
 * ago (the lock has expired); `{ seconds }` moves it back by that much instead (still live if the TTL
 * was longer). Answers how many assignments and reservations moved, so a caller can assert that it
 * expired what it meant to.
 */
export async function backdateLocks(db: DbOrTx, scope: LockScope, options: { seconds?: number } = {}) {
  const lockShift = options.seconds === undefined ? sql`(locked_until - now() + interval '1 second')` : sql`make_interval(secs => ${options.seconds})`;
  const reservationShift = options.seconds === undefined ? sql`(expires_at - now() + interval '1 second')` : sql`make_interval(secs => ${options.seconds})`;
  const locks = await db.execute(sql`
    update coupon_assignments
    set locked_at = locked_at - ${lockShift}, locked_until = locked_until - ${lockShift}
    where status = 'LOCKED' and locked_until is not null and ${matching(scope, "lock_checkout_id")}
    returning id`);
  const reservations = await db.execute(sql`
    update redemptions
    set reserved_at = reserved_at - ${reservationShift}, expires_at = expires_at - ${reservationShift}
    where status = 'PR_RESERVED' and expires_at is not null and ${matching(scope, "checkout_id")}
    returning id`);
  return { locks: locks.length, reservations: reservations.length };
}
