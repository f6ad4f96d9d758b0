import { asc, desc, getTableColumns, inArray, lte, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { jobRuns, type JobRunStatus } from "@/db/schema";
import { JOB_NAMES, type JobName } from "./registry";
import { cronIntervalMs, MAINTENANCE_SCHEDULES } from "./schedules";

/** Runs shown per job by default, newest first (the table keeps more: lib/jobs/job-runs.ts). */
export const JOB_HEALTH_RUNS = 10;
/** Slack past the expected interval before a job reads as late: a cron tick that started a little late is not an incident. */
export const JOB_LATE_GRACE_MS = 2 * 60_000;

export interface JobRunDto {
  id: string;
  status: JobRunStatus;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  summary: Record<string, number | string | boolean | null> | null;
  error: string | null;
}

export interface JobHealth {
  job: JobName;
  schedule: string;
  /** The interval the schedule implies; null for a cron form lateness is not judged on. */
  intervalMs: number | null;
  /** Newest first, at most `runsPerJob`. */
  runs: JobRunDto[];
  lastRunAt: Date | null;
  lastStatus: JobRunStatus | null;
  /** When the next run was due: the last run's start plus the interval (null: never ran, or no interval). */
  nextRunDueAt: Date | null;
  /** How long past nextRunDueAt the job is, once that passes the grace; 0 while it is not late. */
  lateByMs: number;
  /**
   * OK (ran within interval + grace), LATE (its last run is older than that), NEVER_RAN (no row: a
   * fresh install, or a job that was never scheduled), UNKNOWN (a schedule whose interval is not judged).
   */
  state: "OK" | "LATE" | "NEVER_RAN" | "UNKNOWN";
  /** A line for people: "late by 2 h 5 min", "on schedule", "never ran". */
  note: string;
}

export interface JobHealthOptions {
  now?: Date;
  runsPerJob?: number;
  graceMs?: number;
}

/** "2 h 5 min", "45 s": enough precision to tell a missed tick from a dead scheduler. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * For the ops jobs page: every maintenance job (lib/maintenance/registry.ts) with its newest runs
 * and how late its next run is against its schedule, in one query (the newest `runsPerJob` rows per
 * job by a window over the (job, started_at) index).
 */
export async function listJobHealth(db: DbOrTx, options: JobHealthOptions = {}): Promise<JobHealth[]> {
  const now = options.now ?? new Date();
  const runsPerJob = Math.max(1, Math.min(100, options.runsPerJob ?? JOB_HEALTH_RUNS));
  const graceMs = options.graceMs ?? JOB_LATE_GRACE_MS;

  const ranked = db
    .select({ ...getTableColumns(jobRuns), rank: sql<number>`row_number() over (partition by ${jobRuns.job} order by ${jobRuns.startedAt} desc)`.as("rank") })
    .from(jobRuns)
    .where(inArray(jobRuns.job, JOB_NAMES))
    .as("ranked");
  const rows = await db.select().from(ranked).where(lte(ranked.rank, runsPerJob)).orderBy(asc(ranked.job), desc(ranked.startedAt));

  return JOB_NAMES.map((job): JobHealth => {
    const runs = rows
      .filter((row) => row.job === job)
      .map(({ id, status, startedAt, finishedAt, durationMs, summary, error }) => ({ id, status, startedAt, finishedAt, durationMs, summary, error }));
    const schedule = MAINTENANCE_SCHEDULES[job];
    const intervalMs = cronIntervalMs(schedule);
    const last = runs[0];
    const base = { job, schedule, intervalMs, runs, lastRunAt: last?.startedAt ?? null, lastStatus: last?.status ?? null };
    if (!last) return { ...base, nextRunDueAt: null, lateByMs: 0, state: "NEVER_RAN", note: "never ran" };
    if (intervalMs === null) return { ...base, nextRunDueAt: null, lateByMs: 0, state: "UNKNOWN", note: `schedule ${schedule} is not judged` };
    const nextRunDueAt = new Date(last.startedAt.getTime() + intervalMs);
    const lateByMs = now.getTime() - nextRunDueAt.getTime();
    return lateByMs > graceMs
      ? { ...base, nextRunDueAt, lateByMs, state: "LATE", note: `late by ${formatDuration(lateByMs)}` }
      : { ...base, nextRunDueAt, lateByMs: 0, state: "OK", note: "on schedule" };
  });
}
