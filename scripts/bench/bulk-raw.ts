import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { eq, sql } from "drizzle-orm";
import type { Sql } from "postgres";
import type { Db } from "@/db/client";
import { couponBooks, couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { fillPattern, parsePattern } from "@/lib/coupons/pattern";
import { uploadCodes } from "@/lib/coupons/upload-codes";
import { benchCsvRow, multipartCsv } from "./csv-body";

/**
 * `npm run bench -- --bulk-raw [--rounds N] [--quick] [--no-breakdown]` (issue 15): generate and upload of 1M codes
 * through the services, against the fastest raw load PostgreSQL can do of the same rows into the
 * same indexes, in the same run, plus what each index of coupon_codes costs on its own.
 *
 * Each round, in alternating order (odd rounds: services first):
 * - `generateCodes` of 1M codes (`BM-{XXXXXXXXXX}`) into a fresh book; then the raw twin: the same
 *   pattern drawn by the same `fillPattern`, sent as one `COPY … FROM STDIN` into coupon_codes
 *   itself (same indexes, same foreign key, same table state), in a scratch book;
 * - `uploadCodes` of a 1M-row CSV (the `npm run bench` upload rows); then its raw twin: a `COPY` of
 *   the same rows, already normalized, into coupon_codes in a scratch book;
 * - the index breakdown: a fresh scratch table `bench_bulk_raw` (`LIKE coupon_codes INCLUDING
 *   DEFAULTS`) loaded by the same generate-shaped `COPY` with only the unique index, then the unique
 *   index plus each other index of coupon_codes alone, plus the foreign key alone, then all of them.
 *   The indexes are read from the catalog (`pg_get_indexdef`), so the breakdown follows the schema;
 *   an index this file does not describe is printed as such.
 * After every load its rows are deleted and coupon_codes vacuumed, and a `CHECKPOINT` precedes every
 * timed step (when the role may run one), so each load starts from the same table and WAL state.
 * Ratios are taken within a round; the summary gives medians over rounds.
 */

const ACTOR: Actor = { kind: "internal" };
const META = { ip: null, userAgent: "bench" };
const PATTERN = "BM-{XXXXXXXXXX}";
const SCRATCH = "bench_bulk_raw";
/** The index every variant keeps: it is what makes a code unique within its business (DESIGN §3). */
const UNIQUE_INDEX = "coupon_codes_business_code_uq";
const FOREIGN_KEY = "foreign key book_id";

/** What each index (and the foreign key) of coupon_codes is there for: the query or invariant, and its route. */
const PURPOSE: Record<string, string> = {
  coupon_codes_pkey:
    "`id`: the target of `coupon_assignments.code_id` (its foreign key) and every code read through an assignment: lock, unlock, redeem (`POST /api/coupons/:code/*`), the wallet, `GET /api/assignments/user/:userId`; the code UPDATE of an assignment (`where id = …`)",
  coupon_codes_business_code_uq:
    "invariant: a code is unique within its business (DESIGN §3); generate and upload skip duplicates through it (`ON CONFLICT`); every lookup of a code by its text, scoped by business: lock/redeem/validate (`POST /api/coupons/:code/*`), `POST /api/assignments/:code`, the internal redeem, the console's prefix search",
  coupon_codes_available_random_idx:
    "random assignment in O(log n) (DESIGN §5): `FOR UPDATE SKIP LOCKED` from a random `random_key` over the book's AVAILABLE codes, `POST /api/assignments/random`; the shop's \"codes left\" check",
  coupon_codes_book_created_idx:
    "a book's codes newest first: `GET /api/coupon-codes/book/:bookId` (pages and its `total`), `GET /api/coupon-books/:id/codes.csv` (keyset export), the console's codes page; per-book counts (book usage); upload's in-file duplicate report (`created_at = now()` of one book)",
  [FOREIGN_KEY]:
    "referential integrity: no code of a book that does not exist (the services only ever write a book they hold locked, so it is a last line of defence); costs one `SELECT … FOR KEY SHARE` of the book per row",
};

interface IndexDef {
  name: string;
  definition: string;
}

interface Step {
  label: string;
  seconds: number;
  rows: number;
  walMiB: number | null;
  peakRssMiB?: number;
}

interface Round {
  round: number;
  order: "services first" | "raw first";
  steps: Step[];
}

export interface BulkRawOptions {
  codes: number;
  rounds: number;
  /** `--no-breakdown`: only the service/raw pairs (a third of the time), not each index alone. */
  breakdown: boolean;
}

export function bulkRawOptions(argv: string[]): BulkRawOptions {
  const at = argv.indexOf("--rounds");
  const rounds = at === -1 ? 2 : Number(argv[at + 1]);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds needs a positive integer");
  return { codes: argv.includes("--quick") ? 100_000 : 1_000_000, rounds, breakdown: !argv.includes("--no-breakdown") };
}

async function indexesOfCouponCodes(db: Db): Promise<{ indexes: IndexDef[]; foreignKey: string }> {
  const indexes = (await db.execute<{ name: string; definition: string }>(sql`
    select i.relname as name, pg_get_indexdef(i.oid) as definition
    from pg_index x join pg_class i on i.oid = x.indexrelid
    where x.indrelid = 'coupon_codes'::regclass
    order by x.indisprimary desc, x.indisunique desc, i.relname`)) as unknown as IndexDef[];
  const fks = (await db.execute<{ definition: string }>(sql`
    select pg_get_constraintdef(oid) as definition from pg_constraint
    where conrelid = 'coupon_codes'::regclass and contype = 'f'`)) as unknown as { definition: string }[];
  if (!indexes.some((i) => i.name === UNIQUE_INDEX)) throw new Error(`coupon_codes has no ${UNIQUE_INDEX}`);
  if (fks.length !== 1) throw new Error(`expected one foreign key on coupon_codes, found ${fks.length}`);
  return { indexes, foreignKey: fks[0]!.definition };
}

/** The same index on the scratch table (`CREATE [UNIQUE] INDEX name ON public.coupon_codes …`). */
function onScratch(index: IndexDef, n: number) {
  const definition = index.definition.replace(/^(CREATE (?:UNIQUE )?INDEX) \S+ ON (?:public\.)?coupon_codes /, `$1 ${SCRATCH}_${n} ON ${SCRATCH} `);
  if (definition === index.definition) throw new Error(`cannot move ${index.name} to the scratch table: ${index.definition}`);
  return definition;
}

let peakRss = 0;

async function walLsn(db: Db): Promise<string | null> {
  try {
    const [row] = (await db.execute<{ lsn: string }>(sql`select pg_current_wal_lsn()::text as lsn`)) as unknown as [{ lsn: string }];
    return row.lsn;
  } catch {
    return null;
  }
}

let canCheckpoint = true;

/**
 * A timed step, after a checkpoint, with the WAL it wrote (cluster-wide: other sessions' WAL counts
 * too); `count` runs after the clock stops and must find `rows` rows.
 */
async function measure(db: Db, label: string, rows: number, work: () => Promise<unknown>, count: () => Promise<number>): Promise<Step> {
  if (canCheckpoint) {
    try {
      await db.execute(sql`checkpoint`);
    } catch {
      canCheckpoint = false;
      console.log("(no CHECKPOINT allowed for this role: steps start with whatever WAL is pending)");
    }
  }
  const lsnBefore = await walLsn(db);
  peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const loaded = await count();
  if (loaded !== rows) throw new Error(`${label}: expected ${rows} rows, loaded ${loaded}`);
  const lsnAfter = await walLsn(db);
  let walMiB: number | null = null;
  if (lsnBefore && lsnAfter) {
    const [row] = (await db.execute<{ bytes: string }>(sql`select pg_wal_lsn_diff(${lsnAfter}::pg_lsn, ${lsnBefore}::pg_lsn)::text as bytes`)) as unknown as [{ bytes: string }];
    walMiB = Number(row.bytes) / 2 ** 20;
  }
  console.log(`  ${label}: ${seconds.toFixed(2)} s${walMiB === null ? "" : `, WAL ${walMiB.toFixed(0)} MiB`}, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`);
  return { label, seconds, rows, walMiB, peakRssMiB: Math.round(peakRss / 2 ** 20) };
}

/** `rows` lines of `business_id, book_id, code, status` in COPY text format, ~64 KiB a chunk. */
async function copyInto(client: Sql, table: string, lines: Iterable<string>) {
  const writable = await client.unsafe(`copy ${table} (business_id, book_id, code, status) from stdin`).writable();
  function* chunks() {
    let chunk = "";
    for (const line of lines) {
      chunk += line;
      if (chunk.length >= 64 * 1024) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks()), writable);
}

/** `count` distinct codes of the generate pattern, drawn by the generator the service uses. */
function* patternLines(businessId: string, bookId: string, count: number) {
  const parsed = parsePattern(PATTERN);
  const seen = new Set<string>();
  while (seen.size < count) {
    for (const code of fillPattern(parsed, Math.min(20_000, count - seen.size))) {
      if (seen.has(code)) continue;
      seen.add(code);
      yield `${businessId}\t${bookId}\t${code}\tAVAILABLE\n`;
    }
  }
}

function* uploadLines(businessId: string, bookId: string, count: number) {
  for (let n = 0; n < count; n++) {
    const row = benchCsvRow(n);
    yield `${businessId}\t${bookId}\t${row.code}\t${row.disabled ? "DISABLED" : "AVAILABLE"}\n`;
  }
}

async function newBook(db: Db, businessId: string, name: string) {
  const [book] = await db.insert(couponBooks).values({ businessId, name, status: "DRAFT" }).returning();
  return book!;
}

async function countOf(db: Db, table: string, bookId: string) {
  const [row] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where book_id = ${bookId}`)) as unknown as [{ n: number }];
  return row.n;
}

/** Deletes a load's rows from coupon_codes and vacuums, so that the next load meets the same table. */
async function clearCodes(db: Db, bookId: string) {
  await db.delete(couponCodes).where(eq(couponCodes.bookId, bookId));
  await db.execute(sql`vacuum coupon_codes`);
}

async function serviceGenerate(db: Db, businessId: string, codes: number) {
  const book = await newBook(db, businessId, "bulk-raw service generate");
  const step = await measure(db, `service generate ${label(codes)}`, codes, async () => {
    await generateCodes(db, ACTOR, { couponBookId: book.id, quantity: codes, pattern: PATTERN }, META);
  }, () => countOf(db, "coupon_codes", book.id));
  await clearCodes(db, book.id);
  return step;
}

async function rawGenerate(db: Db, client: Sql, businessId: string, codes: number) {
  const book = await newBook(db, businessId, "bulk-raw raw generate");
  const step = await measure(db, `raw COPY ${label(codes)} generated, coupon_codes (same indexes)`, codes, async () => {
    await copyInto(client, "coupon_codes", patternLines(businessId, book.id, codes));
  }, () => countOf(db, "coupon_codes", book.id));
  await clearCodes(db, book.id);
  return step;
}

async function serviceUpload(db: Db, businessId: string, codes: number) {
  const book = await newBook(db, businessId, "bulk-raw service upload");
  let uploaded = 0;
  const step = await measure(db, `service upload ${label(codes)} CSV rows`, codes, async () => {
    const csv = multipartCsv(book.id, codes);
    uploaded = (await uploadCodes(db, ACTOR, { contentType: csv.contentType, contentLength: null, body: csv.body }, META)).uploadedCount;
  }, async () => (uploaded === codes ? countOf(db, "coupon_codes", book.id) : uploaded));
  await clearCodes(db, book.id);
  return step;
}

async function rawUpload(db: Db, client: Sql, businessId: string, codes: number) {
  const book = await newBook(db, businessId, "bulk-raw raw upload");
  const step = await measure(db, `raw COPY ${label(codes)} upload rows, coupon_codes (same indexes)`, codes, async () => {
    await copyInto(client, "coupon_codes", uploadLines(businessId, book.id, codes));
  }, () => countOf(db, "coupon_codes", book.id));
  await clearCodes(db, book.id);
  return step;
}

interface Variant {
  label: string;
  indexes: IndexDef[];
  foreignKey: boolean;
}

function variants(indexes: IndexDef[]): Variant[] {
  const unique = indexes.find((i) => i.name === UNIQUE_INDEX)!;
  const others = indexes.filter((i) => i !== unique);
  return [
    { label: "unique only", indexes: [unique], foreignKey: false },
    ...others.map((index) => ({ label: `unique + ${index.name}`, indexes: [unique, index], foreignKey: false })),
    { label: `unique + ${FOREIGN_KEY}`, indexes: [unique], foreignKey: true },
    { label: "all indexes + foreign key", indexes, foreignKey: true },
  ];
}

interface Sizes {
  tableMiB: number;
  indexMiB: Record<string, number>;
}

/** One generate-shaped COPY into a fresh scratch table with the variant's indexes; sizes after the "all" variant. */
async function scratchLoad(db: Db, client: Sql, businessId: string, bookId: string, codes: number, variant: Variant, foreignKey: string) {
  await db.execute(sql.raw(`drop table if exists ${SCRATCH}`));
  await db.execute(sql.raw(`create table ${SCRATCH} (like coupon_codes including defaults)`));
  for (const [n, index] of variant.indexes.entries()) await db.execute(sql.raw(onScratch(index, n)));
  if (variant.foreignKey) await db.execute(sql.raw(`alter table ${SCRATCH} add constraint ${SCRATCH}_fk ${foreignKey}`));
  const step = await measure(db, `raw COPY ${label(codes)} generated, scratch: ${variant.label}`, codes, async () => {
    await copyInto(client, SCRATCH, patternLines(businessId, bookId, codes));
  }, () => countOf(db, SCRATCH, bookId));
  let sizes: Sizes | undefined;
  if (variant.foreignKey && variant.indexes.length > 1) {
    const rows = (await db.execute<{ name: string; bytes: string }>(sql`
      select c.relname as name, pg_relation_size(c.oid)::text as bytes from pg_class c
      where c.relname = ${SCRATCH} or c.oid in (select indexrelid from pg_index where indrelid = ${SCRATCH}::regclass)`)) as unknown as { name: string; bytes: string }[];
    const byScratchName = new Map(rows.map((r) => [r.name, Number(r.bytes) / 2 ** 20]));
    sizes = { tableMiB: byScratchName.get(SCRATCH) ?? 0, indexMiB: Object.fromEntries(variant.indexes.map((index, n) => [index.name, byScratchName.get(`${SCRATCH}_${n}`) ?? 0])) };
  }
  await db.execute(sql.raw(`drop table ${SCRATCH}`));
  return { step, sizes };
}

const label = (codes: number) => (codes >= 1_000_000 ? `${codes / 1_000_000}M` : `${codes / 1000}k`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function printMarkdown(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || i === header.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 || i === header.length - 1 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

export async function runBulkRaw(db: Db, client: Sql, businessId: string, options: BulkRawOptions) {
  const { codes, rounds } = options;
  const { indexes, foreignKey } = await indexesOfCouponCodes(db);
  console.log(`coupon_codes: ${indexes.length} indexes (${indexes.map((i) => i.name).join(", ")}) and ${foreignKey}`);
  console.log(`${rounds} round(s) of ${codes.toLocaleString("en-US")} codes per load; load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const scratchBook = await newBook(db, businessId, "bulk-raw scratch table");
  const results: Round[] = [];
  let sizes: Sizes | undefined;
  await db.execute(sql.raw(`drop table if exists ${SCRATCH}`));
  try {
    for (let round = 1; round <= rounds; round++) {
      const servicesFirst = round % 2 === 1;
      console.log(`round ${round} (${servicesFirst ? "services first" : "raw first"}):`);
      const steps: Step[] = [];
      const pairs: [() => Promise<Step>, () => Promise<Step>][] = [
        [() => serviceGenerate(db, businessId, codes), () => rawGenerate(db, client, businessId, codes)],
        [() => serviceUpload(db, businessId, codes), () => rawUpload(db, client, businessId, codes)],
      ];
      for (const [service, raw] of pairs) {
        if (servicesFirst) steps.push(await service(), await raw());
        else steps.push(await raw(), await service());
      }
      const list = options.breakdown ? variants(indexes) : [];
      for (const variant of servicesFirst ? list : [...list].reverse()) {
        const loaded = await scratchLoad(db, client, businessId, scratchBook.id, codes, variant, foreignKey);
        steps.push(loaded.step);
        sizes ??= loaded.sizes;
      }
      results.push({ round, order: servicesFirst ? "services first" : "raw first", steps });
    }
  } finally {
    await db.execute(sql.raw(`drop table if exists ${SCRATCH}`));
  }
  summarize(results, indexes, sizes, codes, options.breakdown);
  const out = path.join(process.cwd(), "bench", "results", `bulk-raw-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ codes, rounds: results, indexes, foreignKey, sizes, loadAverageAtEnd: os.loadavg() }, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

function summarize(results: Round[], indexes: IndexDef[], sizes: Sizes | undefined, codes: number, breakdown: boolean) {
  const seconds = (round: Round, prefix: string) => round.steps.find((s) => s.label.startsWith(prefix))!.seconds;
  const n = label(codes);
  const labels = results[0]!.steps.map((s) => s.label);

  console.log("\nEvery load, seconds per round (WAL of the first round, cluster-wide):\n");
  printMarkdown(
    ["load", ...results.map((r) => `round ${r.round}`), "median", "WAL MiB", "note"],
    labels.map((l) => {
      const values = results.map((r) => r.steps.find((s) => s.label === l)!.seconds);
      const first = results[0]!.steps.find((s) => s.label === l)!;
      return [l, ...values.map((v) => v.toFixed(2)), median(values).toFixed(2), first.walMiB === null ? "-" : first.walMiB.toFixed(0), l.startsWith("service") ? `peak RSS ${first.peakRssMiB} MiB` : ""];
    }),
  );

  const ratio = (service: string, raw: string) => results.map((r) => seconds(r, service) / seconds(r, raw));
  const generateRatios = ratio(`service generate ${n}`, `raw COPY ${n} generated, coupon_codes`);
  const uploadRatios = ratio(`service upload ${n}`, `raw COPY ${n} upload rows`);
  const uniqueOnly = (r: Round) => seconds(r, `raw COPY ${n} generated, scratch: unique only`);
  console.log("\nService ÷ raw with the same indexes (ratio within each round; target ≤ 1.3):\n");
  printMarkdown(
    ["path", ...results.map((r) => `round ${r.round}`), "median", "note"],
    [
      ["generate", ...generateRatios.map((v) => `${v.toFixed(2)}×`), `${median(generateRatios).toFixed(2)}×`, "raw: COPY of codes drawn by fillPattern"],
      ["upload", ...uploadRatios.map((v) => `${v.toFixed(2)}×`), `${median(uploadRatios).toFixed(2)}×`, "raw: COPY of the same rows, normalized"],
    ],
  );
  if (!breakdown) return;
  console.log("");
  printMarkdown(
    ["path", ...results.map((r) => `round ${r.round}`), "median", "note"],
    [
      [
        "generate ÷ scratch unique only",
        ...results.map((r) => `${(seconds(r, `service generate ${n}`) / uniqueOnly(r)).toFixed(2)}×`),
        `${median(results.map((r) => seconds(r, `service generate ${n}`) / uniqueOnly(r))).toFixed(2)}×`,
        "what the other indexes and the foreign key add",
      ],
    ],
  );

  console.log(`\nWhat each index costs (scratch table, ${n} generate-shaped rows; cost = the load with it ÷ unique only, medians) and buys:\n`);
  const names = [...indexes.filter((i) => i.name !== UNIQUE_INDEX).map((i) => i.name), FOREIGN_KEY];
  const costRows = [
    [
      `${UNIQUE_INDEX} (alone)`,
      `${median(results.map(uniqueOnly)).toFixed(2)} s`,
      "1.00×",
      sizes ? sizes.indexMiB[UNIQUE_INDEX]!.toFixed(0) : "-",
      PURPOSE[UNIQUE_INDEX]!,
    ],
    ...names.map((name) => {
      const added = results.map((r) => seconds(r, `raw COPY ${n} generated, scratch: unique + ${name}`) - uniqueOnly(r));
      const factor = results.map((r) => seconds(r, `raw COPY ${n} generated, scratch: unique + ${name}`) / uniqueOnly(r));
      return [
        name,
        `+${median(added).toFixed(2)} s`,
        `${median(factor).toFixed(2)}×`,
        name === FOREIGN_KEY ? "-" : sizes ? sizes.indexMiB[name]!.toFixed(0) : "-",
        PURPOSE[name] ?? "(not described: add it to PURPOSE in scripts/bench/bulk-raw.ts)",
      ];
    }),
    [
      "all of them",
      `${median(results.map((r) => seconds(r, `raw COPY ${n} generated, scratch: all`))).toFixed(2)} s`,
      `${median(results.map((r) => seconds(r, `raw COPY ${n} generated, scratch: all`) / uniqueOnly(r))).toFixed(2)}×`,
      sizes ? Object.values(sizes.indexMiB).reduce((a, b) => a + b, 0).toFixed(0) : "-",
      sizes ? `heap ${sizes.tableMiB.toFixed(0)} MiB` : "",
    ],
  ];
  printMarkdown(["index", "load time", "÷ unique only", "size MiB", "buys"], costRows);
}
