import { z } from "zod";
import { PROMO_RESULTS, type PromoResult } from "@/db/schema";
import { wireDateTime, wireId, wireMoney } from "@/lib/wire";

/** Each window is a fixed number of equal buckets: 12 × 5 min, 24 × 1 h, 28 × 6 h. */
export const DASHBOARD_WINDOWS = {
  "1h": { bucketMinutes: 5, buckets: 12 },
  "24h": { bucketMinutes: 60, buckets: 24 },
  "7d": { bucketMinutes: 360, buckets: 28 },
} as const;
export type DashboardWindow = keyof typeof DASHBOARD_WINDOWS;
const WINDOW_NAMES = Object.keys(DASHBOARD_WINDOWS) as [DashboardWindow, ...DashboardWindow[]];

export const DashboardQuery = z.object({
  window: z.enum(WINDOW_NAMES).default("24h"),
  businessId: z.uuid().optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

/**
 * A code hash is a candidate when its failed attempts in the window came from at least this many
 * shoppers (a code passed around) or number at least this many (one shopper hammering it). Far below
 * the guard's pause thresholds on purpose: this list is for a person to look at before the guard acts.
 */
export const CANDIDATE_HASH_RULE = { minDistinctUsers: 2, minFailedAttempts: 5 } as const;

type FailureResult = Exclude<PromoResult, "ACCEPTED">;
export const FAILURE_RESULTS = PROMO_RESULTS.filter((r): r is FailureResult => r !== "ACCEPTED") as [FailureResult, ...FailureResult[]];

// The DTO's building blocks; figures are counts and ratios (null when there is nothing to divide).
const ratio = z.number().min(0).max(1).nullable();
const count = z.number().int().nonnegative();
const resultCounts = z.strictObject(Object.fromEntries(PROMO_RESULTS.map((r) => [r, count])) as Record<PromoResult, typeof count>);
const attemptTotals = z.strictObject({
  total: count.describe("Internal promo redeem attempts, whatever their result"),
  accepted: count,
  acceptanceRate: ratio.describe("accepted ÷ total, to 4 decimals; null without attempts"),
});

/**
 * GET /api/internal/promo/dashboard: what the ops console's charts draw. Every figure is read in one
 * snapshot at `to`, so the totals equal the sums of the buckets.
 */
export const DashboardDto = z
  .strictObject({
    window: z.enum(WINDOW_NAMES).describe("1h: 12 buckets of 5 min; 24h: 24 of 1 h; 7d: 28 of 6 h"),
    businessId: wireId.nullable().describe("The business the figures are limited to; null: every business"),
    from: wireDateTime.describe("Start of the first bucket (buckets are aligned on multiples of their size since 2000-01-01T00:00Z)"),
    to: wireDateTime.describe("Now, on the database's clock: the last bucket is the current, partial one"),
    bucketMinutes: count,
    attempts: attemptTotals,
    lastWeek: z
      .strictObject({ from: wireDateTime, to: wireDateTime, attempts: attemptTotals })
      .describe("The same window a week earlier (bucket for bucket), for the acceptance comparison"),
    discountGranted: z
      .array(z.strictObject({ currency: z.string(), amount: wireMoney, uses: count }))
      .describe("Coupon uses applied in the window and not rolled back, per currency (a use without a cart counts as USD), by currency code"),
    reservations: z
      .strictObject({
        reserved: count.describe("Reservations (locks for a checkout) made in the window"),
        applied: count.describe("Of those, applied at checkout (including those later revoked by a refund)"),
        conversionRate: ratio.describe("applied ÷ reserved, to 4 decimals; null without reservations"),
        revoked: count.describe("Applied, then rolled back by a refund"),
        released: count.describe("Released by the checkout"),
        expired: count.describe("Expired before an apply came (a hold past its time counts before the expiry job has run)"),
        live: count.describe("Still reserved now"),
      })
      .describe("What became of the reservations made in the window"),
    failures: z
      .array(
        z.strictObject({
          result: z.enum(FAILURE_RESULTS),
          count,
          share: ratio.describe("Of all attempts in the window, to 4 decimals; null without attempts"),
          reasons: z.array(z.strictObject({ reason: z.string(), count })).describe("The most frequent precise causes of this result, at most 5, most frequent first"),
        }),
      )
      .describe("Failed attempts by result, one entry per failure result (in the API's order), zeros included"),
    guard: z.strictObject({
      candidateRule: z
        .strictObject({ minDistinctUsers: count, minFailedAttempts: count })
        .describe("A code is a candidate when its failed attempts in the window came from at least minDistinctUsers shoppers or number at least minFailedAttempts"),
      candidateAbusiveHashes: z
        .array(
          z.strictObject({
            codeHash: z.string().describe("HMAC of the normalized code: raw codes are never stored"),
            codePrefix: z.string().describe("The part of the code ops may see: its book's code prefix, else its first characters (at most 4, at most half of it)"),
            businessId: wireId,
            bookId: wireId.nullable().describe("The book of the code; null when no book has this code"),
            attributedBookId: wireId.nullable().describe("For an unknown code: the book whose code prefix is its longest prefix"),
            attempts: count.describe("Failed attempts in the window"),
            distinctUsers: count,
            distinctIps: count,
            lastSeen: wireDateTime,
          }),
        )
        .describe("Codes with failed attempts over candidateRule, most attempted first, at most 20: for a person to look at before the guard acts"),
      pausedCampaigns: z.strictObject({
        total: count.describe("Campaigns paused now (one past its expiresAt counts as expired, not paused)"),
        recentlyPaused: z
          .array(
            z.strictObject({
              bookId: wireId,
              name: z.string(),
              businessId: wireId,
              pausedBy: z.string().describe("Who paused it: `ops:<userId>`, `system:guard`, its seller"),
              pausedAt: wireDateTime,
              reason: z.string().nullable().describe("The reason given with the pause (the guard writes its own); null when none was given"),
            }),
          )
          .describe("Of those, the ones paused within the window, newest first, at most 100"),
      }),
    }),
    buckets: z
      .array(
        z.strictObject({
          start: wireDateTime,
          attempts: resultCounts.describe("Attempts in the bucket by result"),
          reserved: count.describe("Reservations made in the bucket"),
          applied: count.describe("Of those, applied (revoked ones included)"),
          released: count,
          expired: count,
          live: count,
          lastWeek: z.strictObject({ total: count, accepted: count }).describe("Attempts in the same bucket a week earlier"),
        }),
      )
      .describe("The window's buckets, oldest first, the current one last: the charts' series"),
  })
  .meta({ id: "OpsDashboard" });
export type DashboardDto = z.infer<typeof DashboardDto>;
