import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/passwords";
import { settings } from "@/lib/env";
import { loggableError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { DEMO_PASSWORD, DEMO_USERS } from "./seed";

/**
 * What a production server must not start with (checked once at start, instrumentation.ts): missing
 * secrets (AUTH_SECRET signs sessions, CODE_HASH_SECRET keys the hashed codes of every attempt row,
 * so without it each internal redeem would fail), and demo accounts that still open with the demo
 * password the README publishes. Returns the problems, each saying what to do; none outside production.
 */
export async function productionStartProblems(db: Db): Promise<string[]> {
  const { NODE_ENV, AUTH_SECRET, CODE_HASH_SECRET, ALLOW_DEMO_ACCOUNTS } = settings("NODE_ENV", "AUTH_SECRET", "CODE_HASH_SECRET", "ALLOW_DEMO_ACCOUNTS");
  if (NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (!AUTH_SECRET) problems.push("AUTH_SECRET is unset: set it to a random value of 32+ characters (e.g. `openssl rand -base64 33`).");
  if (!CODE_HASH_SECRET) problems.push("CODE_HASH_SECRET is unset: set it to a random value (e.g. `openssl rand -base64 33`) and keep it; attempt logs are keyed by it.");
  if (ALLOW_DEMO_ACCOUNTS !== "1") {
    // A database that is not up yet must not keep the server down: /health reports it meanwhile.
    const demo = await db
      .select({ email: users.email, passwordHash: users.passwordHash })
      .from(users)
      .where(inArray(users.email, DEMO_USERS.map((user) => user.email)))
      .catch((error: unknown) => {
        logger.warn(loggableError(error), "demo accounts not checked: the database did not answer");
        return [];
      });
    const open = [];
    for (const user of demo) if (await verifyPassword(DEMO_PASSWORD, user.passwordHash)) open.push(user.email);
    if (open.length > 0) {
      problems.push(
        `The demo accounts ${open.join(", ")} still have the public demo password: delete them or change their passwords before serving real users (ALLOW_DEMO_ACCOUNTS=1 accepts them on a throwaway trial).`,
      );
    }
  }
  return problems;
}

/**
 * Logs each problem and ends the process when there is one (instrumentation.ts, at start): a
 * production server must not serve a single request in that state.
 */
export async function refuseUnsafeProductionStart(db: Db): Promise<void> {
  const problems = await productionStartProblems(db);
  if (problems.length === 0) return;
  for (const problem of problems) logger.fatal({ event: "startup.refused" }, problem);
  process.exit(1);
}
