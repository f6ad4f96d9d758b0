import { pgEnum } from "drizzle-orm/pg-core";

// Every PostgreSQL enum of the schema, and the constant lists the API and metrics share with them.

export const userRole = pgEnum("user_role", ["shopper", "seller", "ops"]);
export type UserRole = (typeof userRole.enumValues)[number];
/** Book states (DESIGN §4); the zod schemas of the API take theirs from here. */
export const BOOK_STATUSES = ["DRAFT", "ACTIVE", "PAUSED", "EXPIRED", "ARCHIVED"] as const;
export type BookStatus = (typeof BOOK_STATUSES)[number];
export const bookStatus = pgEnum("book_status", BOOK_STATUSES);
export const codeKind = pgEnum("code_kind", ["UNIQUE", "GENERIC"]);
export const discountType = pgEnum("discount_type", ["PERCENT", "FIXED", "FREE_SHIPPING"]);
export const codeStatus = pgEnum("code_status", ["AVAILABLE", "ASSIGNED", "DISABLED"]);
/** A background code generation's states (lib/coupons/generation-runs.ts): QUEUED → RUNNING → SUCCEEDED | FAILED. */
export const GENERATION_RUN_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"] as const;
export type GenerationRunStatus = (typeof GENERATION_RUN_STATUSES)[number];
export const generationRunStatus = pgEnum("generation_run_status", GENERATION_RUN_STATUSES);
export const assignmentStatus = pgEnum("assignment_status", ["ASSIGNED", "LOCKED", "REDEEMED"]);
export const redemptionStatus = pgEnum("redemption_status", [
  "PR_RESERVED",
  "PR_APPLIED",
  "PR_RELEASED",
  "PR_EXPIRED",
  "PR_REVOKED",
]);

/** What a code attempt answered (DESIGN §6); the API, the dashboard and the metrics take theirs from here. */
export const PROMO_RESULTS = ["ACCEPTED", "INVALID", "NOT_APPLICABLE", "EXPIRED", "PAUSED", "EXHAUSTED", "RATE_LIMITED"] as const;
export type PromoResult = (typeof PROMO_RESULTS)[number];
export const promoResult = pgEnum("promo_result", PROMO_RESULTS);
export const purchaseStatus = pgEnum("purchase_status", ["PENDING", "PAID", "REFUNDED", "CANCELLED"]);

/** Alert outbox delivery channels and states (ops.ts). */
export const alertChannel = pgEnum("alert_channel", ["generic", "slack", "pagerduty"]);
export const alertDeliveryStatus = pgEnum("alert_delivery_status", ["PENDING", "DELIVERED", "FAILED"]);

/** How a maintenance job's run ended (job_runs, written by lib/jobs/job.ts runJob). */
export const JOB_RUN_STATUSES = ["SUCCEEDED", "FAILED"] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];
export const jobRunStatus = pgEnum("job_run_status", JOB_RUN_STATUSES);
