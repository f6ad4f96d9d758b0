import { z } from "zod";
import { PROMO_RESULTS, type PromoResult } from "@/db/schema";

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
const resultCounts = z.object(Object.fromEntries(PROMO_RESULTS.map((r) => [r, count])) as Record<PromoResult, typeof count>);

export const DashboardDto = z.object({
  window: z.enum(WINDOW_NAMES),
  businessId: z.uuid().nullable(),
  from: z.string(),
  to: z.string(),
  bucketMinutes: count,
  attempts: z.object({ total: count, accepted: count, acceptanceRate: ratio }),
  /** The same window a week earlier (bucket for bucket), for the acceptance comparison. */
  lastWeek: z.object({ from: z.string(), to: z.string(), attempts: z.object({ total: count, accepted: count, acceptanceRate: ratio }) }),
  /** Coupon uses applied in the window and not rolled back, per currency, in minor units. */
  discountGranted: z.array(z.object({ currency: z.string(), amount: count, uses: count })),
  reservations: z.object({
    reserved: count,
    applied: count,
    conversionRate: ratio,
    revoked: count,
    released: count,
    expired: count,
    live: count,
  }),
  failures: z.array(
    z.object({
      result: z.enum(FAILURE_RESULTS),
      count,
      share: ratio,
      reasons: z.array(z.object({ reason: z.string(), count })),
    }),
  ),
  guard: z.object({
    candidateRule: z.object({ minDistinctUsers: count, minFailedAttempts: count }),
    candidateAbusiveHashes: z.array(
      z.object({
        codeHash: z.string(),
        codePrefix: z.string(),
        businessId: z.uuid(),
        bookId: z.uuid().nullable(),
        attributedBookId: z.uuid().nullable(),
        attempts: count,
        distinctUsers: count,
        distinctIps: count,
        lastSeen: z.string(),
      }),
    ),
    pausedCampaigns: z.object({
      total: count,
      recentlyPaused: z.array(
        z.object({
          bookId: z.uuid(),
          name: z.string(),
          businessId: z.uuid(),
          pausedBy: z.string().nullable(),
          pausedAt: z.string(),
          /** The reason given with the pause (the guard writes its own); null when none was given. */
          reason: z.string().nullable(),
        }),
      ),
    }),
  }),
  /**
   * Per bucket: attempts by result; reservations made in it by what became of them (applied counts
   * revoked ones too); and the same bucket a week earlier.
   */
  buckets: z.array(
    z.object({
      start: z.string(),
      attempts: resultCounts,
      reserved: count,
      applied: count,
      released: count,
      expired: count,
      live: count,
      lastWeek: z.object({ total: count, accepted: count }),
    }),
  ),
});
export type DashboardDto = z.infer<typeof DashboardDto>;
