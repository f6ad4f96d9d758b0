import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { assignCode, codesOf, lock } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { freezeDateMidMinute } from "@/testing/frozen-date";
import { cartOf, internal, promoApply, promoRedeem, promoRelease, validate } from "@/testing/promo-api";
import { captureLogs } from "@/lib/log";
import { promoAttempts } from "@/db/schema";
import { recordAttempt } from "@/lib/promo/attempts";
import { visiblePrefix } from "@/lib/promo/hashing";
import { createRateLimiter, replaceRateLimiter } from "@/lib/rate-limit/rate-limiter";

let stopCapture: (() => void) | undefined;
let restoreLimiter: (() => void) | undefined;
afterEach(() => {
  stopCapture?.();
  restoreLimiter?.();
  stopCapture = restoreLimiter = undefined;
});

describe("raw coupon codes never reach promo_attempts or the logs", () => {
  it("across accepted, refused, rate-limited, validated, applied, released and failing calls", async () => {
    const logs = captureLogs();
    stopCapture = logs.stop;
    const restore = replaceRateLimiter(createRateLimiter({ redis: null, backend: "memory", perMinute: { user: 4, ip: 100, apiKey: 100 }, prefix: "x", timeoutMs: 100 }));
    const unfreeze = freezeDateMidMinute();
    restoreLimiter = () => (restore(), unfreeze());

    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 4, pattern: "LEAK-{XXXXXX}", overrides: { codePrefix: "LEAK-", discountType: "FIXED", discountValue: 100 } });
    const [accepted, foreign, viaPublicApi] = await codesOf(book.id);
    await assignCode({ token }, foreign!, { userId: "someone-else" });
    const guessed = "LEAK-GUESS9";
    const cart = cartOf(businessId);

    await promoRedeem({ userId: "ana", code: ` ${accepted!.toLowerCase()} `, checkoutId: "chk", cart, ip: "192.0.2.1" });
    await promoRedeem({ userId: "ana", code: foreign, checkoutId: "chk-2", cart });
    await promoRedeem({ userId: "ana", code: guessed, checkoutId: "chk-3", cart });
    await promoRedeem({ userId: "ana", code: guessed, checkoutId: "chk-4", cart });
    const limited = await promoRedeem({ userId: "ana", code: guessed, checkoutId: "chk-5", cart });
    expect(limited.status).toBe(429);
    await validate(internal(), guessed, { userId: "bob", cart });
    await promoApply({ checkoutId: "chk", orderId: "order-1" });
    await promoRelease({ checkoutId: "chk-2" });
    await assignCode({ token }, viaPublicApi!, { userId: "carol" });
    await lock({ token }, viaPublicApi!, { userId: "carol", checkoutId: "web" });
    await lock({ token }, viaPublicApi!, { userId: "carol", checkoutId: "other-tab" }); // 409
    await lock({ token }, "LEAK-NOPE42", { userId: "carol" }); // 404
    logs.stop();

    const raw = [accepted!, foreign!, viaPublicApi!, guessed];
    const leaks = (text: string) => raw.filter((code) => text.toUpperCase().includes(code));

    expect(logs.lines.some((line) => line.includes('"promo attempt"'))).toBe(true);
    expect(logs.lines.flatMap(leaks)).toEqual([]);

    const attempts = await db.execute<{ row: string }>(sql`select row_to_json(a)::text as row from promo_attempts a`);
    // Every surface that takes a code writes its row: the internal redeem (5), validate (1), the public lock (3).
    expect(attempts.map((a) => JSON.parse(a.row).result).sort()).toEqual([
      "ACCEPTED", "ACCEPTED", "INVALID", "INVALID", "INVALID", "INVALID", "INVALID", "NOT_APPLICABLE", "RATE_LIMITED",
    ]);
    expect(attempts.flatMap((a) => leaks(a.row))).toEqual([]);
    expect(attempts.every((a) => !a.row.includes("192.0.2.1"))).toBe(true);
  });
});

describe("an attempt's row and its attribution, written in one statement", () => {
  it("attributes an unknown code to the longest matching code_prefix and shows what visiblePrefix shows", async () => {
    const { businessId } = await businessWithKey();
    const short = await activeBook(businessId, { codes: 1, pattern: "ATT-{XXXXXX}", overrides: { codePrefix: "ATT-" } });
    const long = await activeBook(businessId, { codes: 1, pattern: "ATT-X-{XXXXXX}", overrides: { codePrefix: "ATT-X-" } });
    const base = { userId: "u", checkoutId: null, ip: null, businessIds: [businessId], result: "INVALID" as const, reason: "UNKNOWN_CODE", actor: "internal" };
    await recordAttempt(db, { ...base, code: "ATT-X-GUESS1", book: null });
    await recordAttempt(db, { ...base, code: "ATT-GUESS2", book: null });
    await recordAttempt(db, { ...base, code: "ATT-X-", book: null });
    await recordAttempt(db, { ...base, code: "NOPE1234", book: null });
    await recordAttempt(db, { ...base, code: "ATT-REAL99", book: { id: short.id, businessId, codePrefix: "ATT-" }, result: "ACCEPTED", reason: "RESERVED" });

    const rows = await db
      .select({ codePrefix: promoAttempts.codePrefix, bookId: promoAttempts.bookId, attributedBookId: promoAttempts.attributedBookId, businessId: promoAttempts.businessId })
      .from(promoAttempts)
      .orderBy(promoAttempts.attemptedAt, promoAttempts.reason, promoAttempts.codePrefix);
    expect(rows.map(({ codePrefix, bookId, attributedBookId }) => ({ codePrefix, bookId, attributedBookId })).sort((a, b) => a.codePrefix.localeCompare(b.codePrefix))).toEqual(
      [
        { codePrefix: visiblePrefix("ATT-X-GUESS1", "ATT-X-"), bookId: null, attributedBookId: long.id },
        { codePrefix: visiblePrefix("ATT-GUESS2", "ATT-"), bookId: null, attributedBookId: short.id },
        // The code is the whole prefix: the prefix would show all of it, so the short form shows instead.
        { codePrefix: visiblePrefix("ATT-X-", "ATT-X-"), bookId: null, attributedBookId: long.id },
        { codePrefix: visiblePrefix("NOPE1234", null), bookId: null, attributedBookId: null },
        { codePrefix: visiblePrefix("ATT-REAL99", "ATT-"), bookId: short.id, attributedBookId: null },
      ].sort((a, b) => a.codePrefix.localeCompare(b.codePrefix)),
    );
    expect(rows.every((row) => row.businessId === businessId)).toBe(true);
  });
});
