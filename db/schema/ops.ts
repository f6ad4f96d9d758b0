import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { alertChannel, alertDeliveryStatus, jobRunStatus } from "./enums";

/**
 * The alert outbox (DESIGN §8): written in the transaction of what raised it, delivered later, one
 * delivery row per channel. The dedupe key makes raising the same alert twice a no-op.
 */
export const opsAlerts = pgTable(
  "ops_alerts",
  {
    id: id(),
    eventType: text("event_type").notNull(),
    severity: text("severity").notNull(),
    escalation: text("escalation").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    summary: text("summary").notNull(),
    payload: jsonb("payload").notNull().default(sql`'{}'::jsonb`),
    businessId: uuid("business_id"),
    bookId: uuid("book_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ops_alerts_dedupe_uq").on(t.dedupeKey),
    index("ops_alerts_created_idx").on(t.createdAt.desc()),
  ],
);

export const opsAlertDeliveries = pgTable(
  "ops_alert_deliveries",
  {
    id: id(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => opsAlerts.id),
    channel: alertChannel("channel").notNull(),
    status: alertDeliveryStatus("status").notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    lastStatusCode: integer("last_status_code"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("ops_alert_deliveries_alert_channel_uq").on(t.alertId, t.channel),
    index("ops_alert_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'PENDING'`),
  ],
);

/** Stored responses of POST creates sent with an Idempotency-Key header (DESIGN §6). */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash"),
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("idempotency_keys_scope_key_uq").on(t.scope, t.key)],
);

/**
 * A job's keyset positions, one per table it walks (the last id it finished, null = start over).
 * Written only by lib/jobs/job-cursor.ts, which parses what it reads back.
 */
export type JobCursor = Record<string, string | null>;

/** Where a job that walks a whole table in slices (reconciliation) stopped, so the next run goes on from there. */
export const jobCursors = pgTable("job_cursors", {
  job: text("job").primaryKey(),
  cursor: jsonb("cursor").$type<JobCursor>().notNull().default(sql`'{}'::jsonb`),
  updatedAt: updatedAt(),
});

/**
 * One row per maintenance job run (lib/jobs/job.ts runJob), for the ops jobs page: what each run
 * did and how it ended. Bounded: runJob keeps the newest JOB_RUNS_KEPT rows per job.
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: id(),
    job: text("job").notNull(),
    status: jobRunStatus("status").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    /** The job's summary (SUCCEEDED); null for a failed run. */
    summary: jsonb("summary").$type<Record<string, number | string | boolean | null>>(),
    /** A failed run's error, masked like the logs (no quoted values, no URLs, no SQL). */
    error: text("error"),
  },
  (t) => [index("job_runs_job_started_idx").on(t.job, t.startedAt.desc())],
);

/**
 * Ops actions on things that are not coupons (redemption_audit is per business and book): who did
 * what to which row, and from where. Written in the transaction of the change (lib/ops/ops-audit.ts).
 */
export const opsAudit = pgTable(
  "ops_audit",
  {
    id: id(),
    /** RETRY_ALERT_DELIVERY, … */
    action: text("action").notNull(),
    /** As redemption_audit names actors: `ops:<userId>`, `internal`. */
    actor: text("actor").notNull(),
    /** The kind of row acted on (`alert_delivery`) and its id. */
    targetType: text("target_type").notNull(),
    targetId: uuid("target_id").notNull(),
    businessId: uuid("business_id"),
    details: jsonb("details"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ops_audit_at_idx").on(t.at.desc()), index("ops_audit_target_idx").on(t.targetType, t.targetId)],
);
