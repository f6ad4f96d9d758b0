import { pathToFileURL } from "node:url";
import { closeDb, createDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { runJob } from "@/lib/jobs/job";
import { isJobName, JOB_NAMES, loadJob } from "@/lib/maintenance/registry";
import { closeRedis } from "@/lib/redis";
import { ensureDatabase } from "./embedded-postgres";

const USAGE = `Usage: npm run job -- <name>

Runs one maintenance job once and exits (0 when it succeeded). For containers without an Inngest
server: schedule these with cron, Kubernetes CronJobs or the like.

Jobs: ${JOB_NAMES.join(", ")}

Database: DATABASE_URL when set; otherwise the embedded PostgreSQL (.data/pg, database coupons_dev),
migrated first.`;

/** Runs the named job; resolves to the exit code. The summary line is the job's own log line. */
async function runJobCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return name === "help" || name === "--help" ? 0 : 2;
  }
  if (!isJobName(name)) {
    process.stderr.write(`Unknown job: ${name}\n\n${USAGE}\n`);
    return 2;
  }
  const job = await loadJob(name);
  const embedded = !process.env.DATABASE_URL;
  const database = await ensureDatabase("coupons_dev");
  try {
    const { db, client } = createDb(database.url, { max: 4 });
    try {
      if (embedded) await migrateDatabase(database.url);
      await runJob(job, db);
      return 0;
    } finally {
      await client.end({ timeout: 5 });
    }
  } finally {
    await closeDb();
    await closeRedis();
    await database.stop();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // No process.exit on success: the process ends when every handle is closed, so a job that leaks a
  // connection hangs (and its test times out) instead of hiding it. (tsx does not pass a bare
  // process.exitCode on, so failures still exit explicitly.)
  runJobCommand(process.argv.slice(2)).then(
    (code) => {
      if (code !== 0) process.exit(code);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? `Error: ${error.message}` : error);
      process.exit(1);
    },
  );
}
