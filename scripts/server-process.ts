import { spawn } from "node:child_process";
import { constants } from "node:os";
import { migrateDatabase } from "@/db/migrate";
import { ensureDatabase, type LocalDatabase } from "./embedded-postgres";

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** DATABASE_URL, or the embedded server's `database` (started when needed), migrated. */
export async function prepareDatabase(database: string): Promise<LocalDatabase> {
  const local = await ensureDatabase(database);
  try {
    await migrateDatabase(local.url);
  } catch (error) {
    await local.stop();
    throw error;
  }
  return local;
}

const timeout = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Runs a server in a child process with this terminal, forwards SIGINT/SIGTERM/SIGHUP to it, and once it
 * has exited stops the database this process started; exits with the child's code.
 */
export async function runServerProcess(command: string, args: string[], env: NodeJS.ProcessEnv, database: LocalDatabase): Promise<never> {
  // embedded-postgres installs exit hooks that stop the database and exit on the first signal, while
  // the server may still be answering requests: the order here is server first, then database.
  for (const signal of FORWARDED_SIGNALS) process.removeAllListeners(signal);

  const child = spawn(command, args, { stdio: "inherit", env });
  for (const signal of FORWARDED_SIGNALS) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  const code = await new Promise<number>((resolve) => {
    child.on("error", (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + constants.signals[signal] : 1)));
  });
  await Promise.race([database.stop().catch(() => {}), timeout(10_000)]);
  process.exit(code);
}
