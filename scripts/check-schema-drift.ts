import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

/**
 * `npm run check:schema`: the committed migrations describe db/schema exactly. drizzle-kit generate
 * runs against a copy of db/migrations; any new migration it writes is drift (a schema change
 * without its migration, or a hand-edited migration), printed and failed. The checkout is untouched.
 */
const root = resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "schema-drift-"));
const out = join(scratch, "migrations");
try {
  cpSync(join(root, "db/migrations"), out, { recursive: true });
  const before = new Set(readdirSync(out));
  // drizzle-kit takes `out` relative to the project, and reports some failures with exit code 0.
  const report = execFileSync(
    join(root, "node_modules/.bin/drizzle-kit"),
    ["generate", "--dialect=postgresql", "--schema=./db/schema/index.ts", `--out=${relative(root, out)}`, "--name=drift"],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const added = readdirSync(out).filter((file) => file.endsWith(".sql") && !before.has(file));
  if (added.length > 0) {
    console.error("db/schema differs from db/migrations: `npm run db:generate` would add");
    for (const file of added) console.error(`\n-- ${file}\n${readFileSync(join(out, file), "utf8")}`);
    process.exit(1);
  }
  if (!report.includes("No schema changes")) {
    console.error(`drizzle-kit generate did not confirm the schema:\n${report}`);
    process.exit(1);
  }
  console.log(`Schema check: db/migrations matches db/schema (${[...before].filter((f) => f.endsWith(".sql")).length} migrations)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
