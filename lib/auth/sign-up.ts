import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { businesses, users } from "@/db/schema";
import { codeHashSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { RequestMeta } from "@/lib/request-meta";
import { hashPassword } from "./passwords";
import { SIGN_UP_MESSAGES, type SellerSignUpFieldErrors, type SellerSignUpInput } from "./schemas";

const keyedHash = (domain: string, value: string) => createHmac("sha256", codeHashSecret()).update(`${domain}:${value}`).digest("hex");

/** Emails are personal data: logs and rate-limit keys carry this keyed hash (CODE_HASH_SECRET) instead. */
export const hashEmail = (email: string) => keyedHash("email", email);

/** A sign-up refused because the email or the business name is taken; `context.fields` names which. */
function taken(fields: SellerSignUpFieldErrors) {
  return new AppError("CONFLICT", "Sign-up refused: already registered", { fields });
}

/**
 * Creates a business and its first seller in one transaction. Both inserts use ON CONFLICT DO NOTHING,
 * so two sign-ups racing for the same email or business name never reach a unique violation (a 500):
 * PostgreSQL makes the second wait for the first to commit, then reports "nothing inserted", and that
 * becomes a field error (AppError CONFLICT with `fields`). The password is hashed before the
 * transaction opens: scrypt takes tens of milliseconds, and no row lock should wait on it.
 * There is no account audit table (redemption_audit is the coupon ledger's), so the audit is a
 * structured log line with the email and the ip hashed.
 */
export async function signUpSeller(db: Db, input: SellerSignUpInput, meta: RequestMeta) {
  const passwordHash = await hashPassword(input.password);
  const created = await db.transaction(async (tx) => {
    const [business] = await tx.insert(businesses).values({ name: input.businessName }).onConflictDoNothing().returning({ id: businesses.id });
    if (!business) {
      // Both taken: say so at once, rather than one field per attempt.
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
      throw taken({ businessName: SIGN_UP_MESSAGES.businessNameTaken, ...(existing ? { email: SIGN_UP_MESSAGES.emailTaken } : {}) });
    }
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.businessName, role: "seller", businessId: business.id, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    // Throwing rolls the new business back: the name stays free for the seller's next try.
    if (!user) throw taken({ email: SIGN_UP_MESSAGES.emailTaken });
    return { userId: user.id, businessId: business.id };
  });
  logger.info(
    { event: "auth.seller_signed_up", userId: created.userId, businessId: created.businessId, emailHash: hashEmail(input.email), ipHash: meta.ip ? keyedHash("ip", meta.ip) : null },
    "seller signed up",
  );
  return created;
}
