import { and, desc, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { renderedOnce, type Bound } from "@/db/rendered-once";
import { couponBooks, promoAttempts } from "@/db/schema";
import type { PromoResult } from "@/db/schema";
import { logger } from "@/lib/log";
import { hashCode, hashIp, visiblePrefix } from "./hashing";

type AttemptBook = Pick<typeof couponBooks.$inferSelect, "id" | "businessId" | "codePrefix">;

export interface AttemptInput {
  /** Normalized; it is hashed here and never stored or logged as is. */
  code: string;
  userId: string;
  checkoutId: string | null;
  ip: string | null | undefined;
  /** The cart's businesses in item order: where an unknown code is attributed. */
  businessIds: string[];
  /** The book of the code, when the code was found. */
  book: AttemptBook | null;
  result: PromoResult;
  reason: string;
  /** Who made the call (actorLabel); the row's user_id is the acting shopper, which a service names for them. */
  actor: string;
}

/**
 * The book whose code_prefix is the longest prefix of the code, among the cart's businesses
 * (DESIGN §8): where an unknown code is attributed. The businesses are one array parameter, so
 * that carts of any number of sellers share one statement.
 */
const attributionOf = (db: DbOrTx, v: Bound<{ code: string; businessIds: string[] }>) =>
  db
    .select({ id: couponBooks.id, businessId: couponBooks.businessId, codePrefix: couponBooks.codePrefix })
    .from(couponBooks)
    .where(
      and(
        sql`${couponBooks.businessId} = any(${sql.param(v.businessIds)}::uuid[])`,
        isNotNull(couponBooks.codePrefix),
        sql`starts_with(${v.code}, ${couponBooks.codePrefix})`,
      ),
    )
    .orderBy(sql`length(${couponBooks.codePrefix}) desc`, desc(couponBooks.createdAt))
    .limit(1);

/**
 * Writes the promo_attempts row of one attempt (internal redeem, validate, public lock and redeem;
 * DESIGN §3) and its log line; raw codes reach neither. The row and its attribution are one
 * statement, and the attribution query runs for found codes too: an unknown code and someone
 * else's code then cost the same work, so the time of a refusal does not tell them apart
 * (docs/benchmarks.md, "No timing oracle"). An attempt with no business at all (a shopper's call
 * naming no cart or business, of a code they don't hold, while holding no coupon) can't be
 * attributed to any campaign and has no business to be stored under: it is only logged. Every
 * call makes one, so its statements are rendered once (db/rendered-once.ts), one per branch.
 */
export async function recordAttempt(db: DbOrTx, input: AttemptInput) {
  const normalizedCodeHash = hashCode(input.code);
  const { book } = input;
  const columns = {
    normalizedCodeHash,
    bookId: book?.id ?? null,
    userId: input.userId,
    actor: input.actor,
    ipHash: input.ip ? hashIp(input.ip) : null,
    checkoutId: input.checkoutId ?? null,
    result: input.result,
    reason: input.reason,
  };
  type Columns = Bound<typeof columns>;
  const row = (v: Columns) => ({
    normalizedCodeHash: v.normalizedCodeHash,
    bookId: v.bookId,
    userId: v.userId,
    actor: v.actor,
    ipHash: v.ipHash,
    checkoutId: v.checkoutId,
    result: v.result,
    reason: v.reason,
  });
  let stored: { businessId: string; attributedBookId: string | null } | undefined;
  if (input.code !== "" && input.businessIds.length > 0) {
    const attributing = { ...columns, code: input.code, businessIds: input.businessIds };
    if (book) {
      const values = { ...attributing, businessId: book.businessId, codePrefix: visiblePrefix(input.code, book.codePrefix) };
      [stored] = await renderedOnce(db, "recordAttempt:attributed:found", values, (v) => {
        const attributed = db.$with("attributed").as(attributionOf(db, v));
        return (
          db
            .with(attributed)
            .insert(promoAttempts)
            // A found code's row names its own book; it still reads the attribution (timing, above).
            .values({ ...row(v), businessId: v.businessId, codePrefix: v.codePrefix, attributedBookId: sql`(select null::uuid from attributed)` })
            .returning({ businessId: promoAttempts.businessId, attributedBookId: promoAttempts.attributedBookId })
        );
      });
    } else {
      const values = { ...attributing, firstBusinessId: input.businessIds[0]!, codeLength: input.code.length, shortPrefix: visiblePrefix(input.code, null) };
      [stored] = await renderedOnce(db, "recordAttempt:attributed:unknown", values, (v) => {
        const attributed = db.$with("attributed").as(attributionOf(db, v));
        return db
          .with(attributed)
          .insert(promoAttempts)
          .values({
            ...row(v),
            businessId: sql`coalesce((select business_id from attributed), ${v.firstBusinessId}::uuid)`,
            // visiblePrefix's first case for the attributed book, whose code_prefix starts the code by construction.
            codePrefix: sql`coalesce((select code_prefix from attributed where code_prefix <> '' and length(code_prefix) < ${v.codeLength}::int), ${v.shortPrefix}::text)`,
            attributedBookId: sql`(select id from attributed)`,
          })
          .returning({ businessId: promoAttempts.businessId, attributedBookId: promoAttempts.attributedBookId });
      });
    }
  } else if (book) {
    const values = { ...columns, businessId: book.businessId, codePrefix: visiblePrefix(input.code, book.codePrefix) };
    await renderedOnce(db, "recordAttempt:found", values, (v) =>
      db.insert(promoAttempts).values({ ...row(v), businessId: v.businessId, codePrefix: v.codePrefix, attributedBookId: null }),
    );
    stored = { businessId: book.businessId, attributedBookId: null };
  }
  logger.info(
    {
      event: "promo_attempt",
      result: input.result,
      reason: input.reason,
      bookId: input.book?.id ?? null,
      attributedBookId: stored?.attributedBookId ?? null,
      codeHash: normalizedCodeHash.slice(0, 16),
      userId: input.userId,
      checkoutId: input.checkoutId,
      actor: input.actor,
      ...(stored ? {} : { stored: false }),
    },
    "promo attempt",
  );
}
