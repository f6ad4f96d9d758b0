import { pathToFileURL } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closeDb, createDb, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { DEMO_BUSINESS, DEMO_PASSWORD, DEMO_USERS, seedDatabase } from "@/lib/demo/seed";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/api-keys";
import { ensureDatabase } from "./embedded-postgres";

export const USAGE = `Usage: npm run cli -- <command>

Commands:
  db migrate                                   apply db/migrations
  db seed                                      migrate, then add the demo data (idempotent)
  api-key create --business <name> [--name <label>]
                                               create a key (and the business when missing);
                                               the key is printed alone on the last line of stdout
  api-key list [--business <name>]             list keys, newest first
  api-key revoke <id|prefix>                   revoke a key
  help                                         show this help

Database: DATABASE_URL when set; otherwise the embedded PostgreSQL (.data/pg, database coupons_dev),
started for the command and stopped afterwards unless another process (npm run dev) runs it.`;

/** Wrong arguments: the message and the usage go to stderr, exit code 2. */
class UsageError extends Error {}

export interface CliIo {
  /** Results: what a script would capture. */
  out: (line: string) => void;
  /** Progress and notices. */
  err: (line: string) => void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O, positionals: number) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length !== positionals) {
      throw new UsageError(
        positionals === 0 ? `Unexpected argument: ${parsed.positionals[0]}` : `Expected ${positionals} argument(s), got ${parsed.positionals.length}`,
      );
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // node:util's parse errors (unknown option, missing value) are usage errors too.
    throw new UsageError((error as Error).message);
  }
}

function redactUrl(url: string) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/** DATABASE_URL or the embedded server, migrated; the embedded server this process started is stopped afterwards. */
async function withDatabase<T>(io: CliIo, run: (db: Db, url: string) => Promise<T>): Promise<T> {
  const database = await ensureDatabase("coupons_dev");
  try {
    await migrateDatabase(database.url);
    const { db, client } = createDb(database.url, { max: 2 });
    try {
      return await run(db, database.url);
    } finally {
      await client.end({ timeout: 5 });
    }
  } catch (error) {
    io.err(`Database: ${redactUrl(database.url)}`);
    throw error;
  } finally {
    await closeDb();
    await database.stop();
  }
}

const formatDate = (value: Date | null) => (value ? value.toISOString().replace(/\.\d+Z$/, "Z") : "-");

function table(rows: string[][]) {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
}

async function dbCommand(sub: string | undefined, rest: string[], io: CliIo) {
  if (sub === "migrate") {
    parse(rest, {}, 0);
    await withDatabase(io, async (_db, url) => io.err(`Migrated ${redactUrl(url)}`));
    return 0;
  }
  if (sub === "seed") {
    parse(rest, {}, 0);
    await withDatabase(io, async (_db, url) => {
      const summary = await seedDatabase(url);
      const created = summary.createdUsers.length + summary.createdBooks.length + summary.generatedCodes;
      io.out(
        created === 0
          ? `Demo data already present in ${redactUrl(url)}`
          : `Seeded ${redactUrl(url)}: users [${summary.createdUsers.join(", ")}], books [${summary.createdBooks.join(", ")}], ${summary.generatedCodes} codes`,
      );
      io.out(`Business "${DEMO_BUSINESS}"; logins ${DEMO_USERS.map((u) => u.email).join(", ")} (password ${DEMO_PASSWORD})`);
    });
    return 0;
  }
  throw new UsageError(sub ? `Unknown command: db ${sub}` : "Missing subcommand: db migrate | db seed");
}

async function apiKeyCommand(sub: string | undefined, rest: string[], io: CliIo) {
  if (sub === "create") {
    const { values } = parse(rest, { business: { type: "string" }, name: { type: "string" } }, 0);
    const businessName = values.business?.trim();
    if (!businessName) throw new UsageError("api-key create needs --business <name>");
    if (values.name !== undefined && !values.name.trim()) throw new UsageError("--name must not be empty");
    const created = await withDatabase(io, (db) => createApiKey(db, { businessName, name: values.name?.trim() }));
    io.err(`Created API key ${created.prefix} (id ${created.id}) for business "${created.businessName}" (id ${created.businessId}).`);
    io.err("Store it now: only its hash is kept. Send it as `Authorization: Bearer <key>`.");
    io.out(created.key);
    return 0;
  }
  if (sub === "list") {
    const { values } = parse(rest, { business: { type: "string" } }, 0);
    const keys = await withDatabase(io, (db) => listApiKeys(db, { businessName: values.business }));
    if (keys.length === 0) {
      io.err(values.business ? `No API keys for business "${values.business}"` : "No API keys");
      return 0;
    }
    const rows = keys.map((k) => [k.id, k.prefix, k.name, k.business, formatDate(k.createdAt), formatDate(k.lastUsedAt), k.revokedAt ? `revoked ${formatDate(k.revokedAt)}` : "active"]);
    for (const line of table([["ID", "PREFIX", "NAME", "BUSINESS", "CREATED", "LAST USED", "STATUS"], ...rows])) io.out(line);
    return 0;
  }
  if (sub === "revoke") {
    const { positionals } = parse(rest, {}, 1);
    const target = positionals[0]!.trim();
    const revoked = await withDatabase(io, (db) => revokeApiKey(db, target));
    if (!revoked) {
      io.err(`No live API key with id or prefix ${target}`);
      return 1;
    }
    io.out(`Revoked ${target}`);
    return 0;
  }
  throw new UsageError(sub ? `Unknown command: api-key ${sub}` : "Missing subcommand: api-key create | list | revoke");
}

/** Runs one CLI command; resolves to the process exit code (2 for bad usage). */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    switch (command) {
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return 0;
      case "db":
        return await dbCommand(sub, rest, io);
      case "api-key":
        return await apiKeyCommand(sub, rest, io);
      case undefined:
        throw new UsageError("Missing command");
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`Error: ${error.message}\n`);
    io.err(USAGE);
    return 2;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? `Error: ${error.message}` : error);
      process.exit(1);
    },
  );
}
