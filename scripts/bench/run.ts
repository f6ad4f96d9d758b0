import os from "node:os";
import { pathToFileURL } from "node:url";
import { and, eq, inArray, sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { bookCapUsage, businesses, couponAssignments, couponBooks, couponCodes, promoAttemptHourly, promoAttempts, purchases, redemptionAudit, redemptionAuditHourly, redemptions, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { applyCheckout } from "@/lib/checkout/apply-checkout";
import { redeemPromo } from "@/lib/checkout/redeem-promo";
import { assignRandomCoupon } from "@/lib/coupons/assign-random";
import { exportCodes } from "@/lib/coupons/export-codes";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { getBookInsights } from "@/lib/coupons/book-insights";
import { listBookAudit } from "@/lib/coupons/list-book-audit";
import { listBooksWithUsage } from "@/lib/coupons/list-books";
import { listCodes, listConsoleCodes } from "@/lib/coupons/list-codes";
import { logger } from "@/lib/log";
import { runBruteforceGuard } from "@/lib/maintenance/bruteforce-guard";
import { runReconciliation } from "@/lib/maintenance/reconciliation";
import { readDomainFigures } from "@/lib/metrics/domain-figures";
import { getDashboard } from "@/lib/ops/dashboard";
import { uploadCodes } from "@/lib/coupons/upload-codes";
import { ensureDatabase } from "../embedded-postgres";
import { bulkRawOptions, runBulkRaw } from "./bulk-raw";
import { multipartCsv } from "./csv-body";
import { checkDay, loadDashboardDay, printReads, rewindRollups, rollUpDay, timeDashboardReads } from "./dashboard";
import { printOracle, runOracleBench } from "./oracle";
import { benchOpsEmail, printRender, productionBuild, signInOps, signInSeller, startServer, timePages, type BenchServer, type PageCheck } from "./render";

/**
 * `npm run bench [-- --quick] [-- --keep]` (`-- --console`: only the seller console's reads over a
 * 1M-code book and 200 books; `-- --render`: the same, then those pages rendered over HTTP by the
 * production build, scripts/bench/render.ts; `-- --oracle`: only the timing-oracle check of
 * scripts/bench/oracle.ts; `-- --bulk-raw [--rounds N]`: only generate and upload of 1M codes against raw
 * COPY into the same indexes, and each index's cost, scripts/bench/bulk-raw.ts; `-- --dashboard-1m`: only the ops dashboard and metrics scrape over a day
 * of 1,000,000 attempts, scripts/bench/dashboard.ts): times the bulk code paths on real PostgreSQL through the
 * services (no HTTP): generate 100k and 1M codes (one call, one transaction each), upload a 200k-row
 * CSV through the streaming multipart service, list and export a 1M-code book, random assignment
 * throughput, the checkout path (internal promo redeem and apply) on an uncapped and a capped book,
 * and the ops read paths (metrics scrape, dashboard, guard, reconciliation) over a large attempt log. DATABASE_URL when set, else the embedded server's `coupons_bench` database. The run's
 * own business and rows are deleted at the end unless --keep is given; other rows are only read
 * (the run starts with a plain VACUUM of coupon_codes so that earlier runs' deletions don't weigh).
 */

const ACTOR: Actor = { kind: "internal" };
const META = { ip: null, userAgent: "bench" };

interface Row {
  step: string;
  items: number;
  seconds: number;
  note?: string;
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
sampler.unref();

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function newBook(db: Db, businessId: string, name: string) {
  const [book] = await db.insert(couponBooks).values({ businessId, name, status: "DRAFT" }).returning();
  return book!;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `total` calls of `call(n)` from `concurrency` workers; latency percentiles per call. */
async function concurrently(total: number, concurrency: number, call: (n: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let issued = 0;
  let failures = 0;
  const worker = async () => {
    while (issued < total) {
      const n = issued++;
      const start = process.hrtime.bigint();
      try {
        await call(n);
      } catch {
        failures++;
      }
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  const { seconds } = await timed(() => Promise.all(Array.from({ length: concurrency }, worker)));
  latencies.sort((a, b) => a - b);
  return { seconds, failures, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

const latencyNote = (r: Awaited<ReturnType<typeof concurrently>>) =>
  `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${r.failures ? `, ${r.failures} failed` : ""}`;

/**
 * The checkout path (internal promo redeem, then apply) on GENERIC books, every call a different
 * shopper and checkout: an uncapped book (no shared lock at all), a budget-capped one (every
 * reservation takes the book's cap lock, reads its book_cap_usage row and counts live reservations),
 * and a capped one whose ledger already holds `prefill` applied uses (the counter row is built from
 * them on the first check; from then on a check must not cost more with a longer ledger).
 */
async function checkoutPath(db: Db, businessId: string, runTag: string, prefill: number, rows: Row[]) {
  const cart = { currency: "USD", items: [{ sku: "bench", businessId, unitPrice: 5000, quantity: 1, itemDiscount: 0 }], shipping: 0, taxRate: 0 };
  const variants = [
    { label: "uncapped", budgetAmount: null, prefill: 0, calls: 2_000 },
    { label: "budget-capped", budgetAmount: 2_000_000_000, prefill: 0, calls: 2_000 },
    { label: `budget-capped, ${prefill.toLocaleString("en-US")} applied before`, budgetAmount: 2_000_000_000, prefill, calls: 500 },
  ];
  for (const [index, variant] of variants.entries()) {
    const code = `BENCH${index}${runTag.toUpperCase()}`;
    const [book] = await db
      .insert(couponBooks)
      .values({ businessId, name: `bench ${code}`, status: "ACTIVE", codeKind: "GENERIC", discountType: "FIXED", discountValue: 100, generatedCount: 1, budgetAmount: variant.budgetAmount })
      .returning();
    const [codeRow] = await db.insert(couponCodes).values({ businessId, bookId: book!.id, code }).returning();
    if (variant.prefill > 0) {
      await db.execute(sql`
        with prefilled as (
          insert into coupon_assignments (business_id, code_id, book_id, user_id, shared, status, redeem_count, redeemed_at)
          select ${businessId}, ${codeRow!.id}, ${book!.id}, 'prefill-' || g, true, 'REDEEMED', 1, now() from generate_series(1, ${variant.prefill}) g
          returning id, user_id)
        insert into redemptions (business_id, assignment_id, book_id, user_id, checkout_id, status, discount_amount, currency, reserved_at, applied_at, redeem_number, max_redeems)
        select ${businessId}, id, ${book!.id}, user_id, user_id, 'PR_APPLIED', 100, 'USD', now(), now(), 1, 1 from prefilled`);
      await db.execute(sql`analyze redemptions`);
    }
    const checkout = (n: number) => `bench-${runTag}-${index}-${n}`;
    const redeem = await concurrently(variant.calls, 8, async (n) => {
      const outcome = await redeemPromo(db, ACTOR, { userId: checkout(n), code, checkoutId: checkout(n), cart }, META);
      if (outcome.result !== "ACCEPTED") throw new Error(outcome.result);
    });
    rows.push({ step: `promo redeem, ${variant.label}, 8 concurrent`, items: variant.calls - redeem.failures, seconds: redeem.seconds, note: latencyNote(redeem) });
    const apply = await concurrently(variant.calls, 8, (n) => applyCheckout(db, ACTOR, { checkoutId: checkout(n), orderId: `order-${checkout(n)}` }, META));
    rows.push({ step: `promo apply, ${variant.label}, 8 concurrent`, items: variant.calls - apply.failures, seconds: apply.seconds, note: latencyNote(apply) });
    console.log(`checkout path (${variant.label}): redeem ${redeem.seconds.toFixed(2)} s, apply ${apply.seconds.toFixed(2)} s`);
  }
}

/** Milliseconds of `runs` calls of `work`, one after another: the median and the slowest. */
async function timedRuns(runs: number, work: () => Promise<unknown>) {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, max: times[runs - 1]!, total: times.reduce((a, b) => a + b, 0) / 1000 };
}

/**
 * The ops read paths over a large attempt log: `attempts` promo_attempts rows of the run's business
 * spread over 7 days (a seventh in the last 10 minutes, the guard's window) and as many audit rows,
 * then a metrics scrape's database read, the dashboard's 24h and 7d windows, one guard run and one
 * reconciliation run (one slice budget).
 */
async function opsPath(db: Db, businessId: string, attempts: number, rows: Row[]) {
  // A GENERIC book: the guard reads the whole window but never pauses a shared code.
  const [book] = await db
    .select({ id: couponBooks.id })
    .from(couponBooks)
    .where(and(eq(couponBooks.businessId, businessId), eq(couponBooks.codeKind, "GENERIC")))
    .limit(1);
  await db.execute(sql`
    insert into promo_attempts (business_id, normalized_code_hash, code_prefix, book_id, user_id, ip_hash, result, reason, attempted_at)
    select ${businessId}, md5((g % 50000)::text), 'BENCH', ${book!.id}, 'shopper-' || (g % 100000), md5((g % 20000)::text),
           (case when g % 10 < 7 then 'ACCEPTED' when g % 10 < 9 then 'INVALID' else 'NOT_APPLICABLE' end)::promo_result,
           case when g % 10 < 7 then 'OK' else 'UNKNOWN_CODE' end,
           case when g % 7 = 0 then now() - random() * interval '10 minutes' else now() - random() * interval '7 days' end
    from generate_series(1, ${attempts}) g`);
  await db.execute(sql`
    insert into redemption_audit (business_id, book_id, action, actor, at)
    select ${businessId}, ${book!.id}, (array['LOCK','REDEEM','UNLOCK','EXPIRE'])[1 + g % 4], 'bench', now() - random() * interval '7 days'
    from generate_series(1, ${attempts}) g`);
  await rewindRollups(db, new Date(Date.now() - 7 * 24 * 3_600_000));
  await db.execute(sql`analyze promo_attempts`);
  await db.execute(sql`analyze redemption_audit`);
  const label = `${(attempts / 1000).toLocaleString("en-US")}k attempts`;
  const timings: [string, number, () => Promise<unknown>][] = [
    ["metrics scrape (database figures)", 5, () => readDomainFigures(db, 30_000)],
    ["dashboard window=24h", 5, () => getDashboard(db, { window: "24h" })],
    ["dashboard window=7d", 3, () => getDashboard(db, { window: "7d" })],
    ["bruteforce-guard run", 3, () => runBruteforceGuard(db)],
    ["reconciliation run", 3, () => runReconciliation(db)],
  ];
  for (const [step, runs, work] of timings) {
    const timed = await timedRuns(runs, work);
    rows.push({ step: `${step}, ${label}`, items: runs, seconds: timed.total, note: `median ${timed.median.toFixed(0)} ms, max ${timed.max.toFixed(0)} ms` });
    console.log(`${step}: median ${timed.median.toFixed(0)} ms`);
  }
}

/**
 * The seller console's first paint, as the data its server components read (issue 11): the books
 * list page (50 books with their usage) of a business with 200 books, and a book page of a
 * `codes`-code book (its insights for 7 days, the newest 20 audit rows, the first 50 codes). The
 * pages themselves, rendered by the production server, are timed by `--render` (render.ts).
 */
async function sellerConsolePath(db: Db, businessId: string, book: { id: string }, codes: number, rows: Row[]) {
  const [existing] = (await db.select({ n: sql<number>`count(*)::int` }).from(couponBooks).where(eq(couponBooks.businessId, businessId))) as [{ n: number }];
  await db.execute(sql`
    insert into coupon_books (business_id, name, status, discount_type, discount_value)
    select ${businessId}, 'console book ' || g, 'ACTIVE', 'PERCENT', 10 from generate_series(1, ${Math.max(0, 200 - existing.n)}) g`);
  const seller: Actor = { kind: "user", role: "seller", userId: "bench-seller", businessId };
  const label = `${codes >= 1_000_000 ? `${codes / 1_000_000}M` : `${codes / 1000}k`}-code book`;
  const timings: [string, () => Promise<unknown>][] = [
    ["seller books list: first page of 50 with usage, 200 books", () => listBooksWithUsage(db, seller, { limit: 50, offset: 0 })],
    [`book page: insights 7d, ${label}`, () => getBookInsights(db, seller, book.id, { window: "7d" })],
    [`book page: audit trail, newest 20, ${label}`, () => listBookAudit(db, seller, book.id, { limit: 20, offset: 0 })],
    [`API code list: first 50 codes with total, ${label}`, () => listCodes(db, seller, book.id, { limit: 50, offset: 0 })],
    [`codes page: first 50 codes (keyset, no count), ${label}`, () => listConsoleCodes(db, seller, book.id, { limit: 50, offset: 0 })],
    [`codes page: 50 codes by prefix, ${label}`, () => listConsoleCodes(db, seller, book.id, { limit: 50, offset: 0, q: "BC-2" })],
  ];
  for (const [step, work] of timings) {
    const timed = await timedRuns(5, work);
    rows.push({ step, items: 5, seconds: timed.total, note: `median ${timed.median.toFixed(0)} ms, max ${timed.max.toFixed(0)} ms` });
    console.log(`${step}: median ${timed.median.toFixed(0)} ms`);
  }
}

/** HTML with React's text separators (`<!-- -->`) taken out, so that "1–50 of 200" reads as on screen. */
const text = (html: string) => html.replaceAll("<!-- -->", "");

/**
 * The pages of issue 11's first-paint point, each with what its body must hold: the books list (the
 * first 50 of 200 books), the 1M-code book's page (its name and its 1,000,000 codes) and its codes
 * page (50 codes of the book).
 */
function consolePages(book: { id: string; name: string }): PageCheck[] {
  const distinct = (html: string, pattern: RegExp) => new Set(html.match(pattern) ?? []).size;
  return [
    {
      label: "books list, 200 books",
      path: "/seller",
      problem: (html) =>
        !text(html).includes("1–50 of 200") ? "no \"1–50 of 200\"" : distinct(html, /\/seller\/books\/[0-9a-f-]{36}"/g) !== 50 ? "not 50 book links" : null,
    },
    {
      label: "book page, 1M-code book",
      path: `/seller/books/${book.id}`,
      problem: (html) => (!text(html).includes(book.name) ? "no book name" : !text(html).includes("1,000,000") ? "no 1,000,000 codes" : null),
    },
    {
      label: "codes page, first 50 codes, 1M-code book",
      path: `/seller/books/${book.id}/codes`,
      problem: (html) => (!text(html).includes(`Codes of ${book.name}`) ? "no title" : distinct(html, /BC-[0-9A-Z]{10}\b/g) < 50 ? "fewer than 50 codes" : null),
    },
  ];
}

/**
 * The ops dashboard's first paint (issue 13) over the loaded day: each window over every seller,
 * and the 24 h window of the bench's business (the page must name it).
 */
function dashboardPages(businessId: string, businessName: string): PageCheck[] {
  const isDashboard = (html: string) => (text(html).includes("Promo health") ? null : "no \"Promo health\" (not the dashboard)");
  return [
    { label: "ops dashboard, 1h, all sellers", path: "/ops?window=1h", problem: isDashboard },
    { label: "ops dashboard, 24h, all sellers", path: "/ops?window=24h", problem: isDashboard },
    {
      label: "ops dashboard, 24h, the bench's seller",
      path: `/ops?window=24h&businessId=${businessId}`,
      problem: (html) => isDashboard(html) ?? (text(html).includes(`Last 24 hours · ${businessName}`) ? null : "not the bench's seller"),
    },
    { label: "ops dashboard, 7d, all sellers", path: "/ops?window=7d", problem: isDashboard },
  ];
}

async function cleanup(db: Db, businessId: string) {
  await db.delete(purchases).where(eq(purchases.businessId, businessId));
  await db.delete(promoAttempts).where(eq(promoAttempts.businessId, businessId));
  await db.delete(promoAttemptHourly).where(eq(promoAttemptHourly.businessId, businessId));
  await db.delete(redemptionAuditHourly).where(eq(redemptionAuditHourly.businessId, businessId));
  await db.delete(redemptions).where(eq(redemptions.businessId, businessId));
  await db.delete(couponAssignments).where(eq(couponAssignments.businessId, businessId));
  await db.delete(redemptionAudit).where(eq(redemptionAudit.businessId, businessId));
  await db.delete(couponCodes).where(eq(couponCodes.businessId, businessId));
  const books = await db.select({ id: couponBooks.id }).from(couponBooks).where(eq(couponBooks.businessId, businessId));
  if (books.length > 0) {
    const bookIds = books.map((b) => b.id);
    await db.delete(bookCapUsage).where(inArray(bookCapUsage.bookId, bookIds));
    await db.delete(couponBooks).where(inArray(couponBooks.id, bookIds));
  }
  await db.delete(users).where(eq(users.businessId, businessId));
  await db.delete(businesses).where(eq(businesses.id, businessId));
}

function printTable(rows: Row[]) {
  const lines = [
    ["step", "items", "seconds", "items/s", "note"],
    ...rows.map((r) => [
      r.step,
      r.items.toLocaleString("en-US"),
      r.seconds.toFixed(2),
      r.seconds > 0 ? Math.round(r.items / r.seconds).toLocaleString("en-US") : "-",
      r.note ?? "",
    ]),
  ];
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const format = (l: string[]) => `| ${l.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  console.log(format(lines[0]!));
  console.log(`|${widths.map((w, i) => (i === 0 || i === 4 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`);
  for (const l of lines.slice(1)) console.log(format(l));
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const quick = args.has("--quick");
  const keep = args.has("--keep");
  const oracle = args.has("--oracle");
  const render = args.has("--render");
  // Checked before the 1M-code book is made: the bench runs the build there is, it never builds.
  const build = render ? productionBuild() : null;
  if (render && !build) {
    console.error("--render needs a production build: run `npm run build` first (in a git worktree: `npx next build --webpack && npx tsx scripts/postbuild.ts`).");
    process.exit(1);
  }
  logger.level = "warn"; // one info line per promo attempt would drown the figures
  const database = await ensureDatabase("coupons_bench");
  await migrateDatabase(database.url);
  const { db, client } = createDb(database.url, { max: 10 });
  // Earlier runs delete 1.3M rows each; reclaim them so that runs stay comparable (plain VACUUM blocks nothing).
  await db.execute(sql`vacuum (analyze) coupon_codes`);
  const rows: Row[] = [];
  const runTag = Date.now().toString(36);
  const [business] = await db.insert(businesses).values({ name: `bench-${runTag}` }).returning();
  const businessId = business!.id;
  let server: BenchServer | undefined;

  try {
    const [{ version }] = (await db.execute<{ version: string }>(sql`select version() as version`)) as unknown as [{ version: string }];
    console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
    console.log(`${version}`);
    console.log(`database: ${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded (coupons_bench)"}`);
    if (build) console.log(`production build of ${build.builtAt.toISOString()} (${build.command.at(-1)})`);
    console.log("");
    if (oracle) {
      printOracle(await runOracleBench(db, businessId, runTag));
      return;
    }
    if (args.has("--bulk-raw")) {
      await runBulkRaw(db, client, businessId, bulkRawOptions(process.argv.slice(2)));
      return;
    }
    if (args.has("--dashboard-1m")) {
      const load = await timed(() => loadDashboardDay(db, businessId));
      console.log(`loaded the day (attempts, last week's, ledger and audit rows): ${load.seconds.toFixed(1)} s`);
      // First as lagging jobs leave them (the cursors moved back before the loaded rows: all raw), then rolled up.
      await rewindRollups(db, new Date(Date.parse(load.value.from) - 7 * 24 * 3_600_000));
      const raw = await checkDay(db, businessId);
      const reads = await timeDashboardReads(db, businessId, "rollups behind (all raw)");
      for (const job of await rollUpDay(db)) console.log(`${job.job}: ${job.hours} hours in ${job.runs} runs, ${job.seconds.toFixed(1)} s`);
      const rolled = await checkDay(db, businessId);
      if (JSON.stringify(rolled.failures) !== JSON.stringify(raw.failures)) throw new Error("the rolled-up failure mix differs from the raw one");
      reads.push(...(await timeDashboardReads(db, businessId, "rollups caught up")));
      console.log("");
      printReads(reads);
      if (render) {
        console.log("");
        server = await startServer(database.url);
        try {
          const cookie = await signInOps(db, server.baseUrl, runTag);
          printRender(await timePages(server.baseUrl, cookie, dashboardPages(businessId, business!.name)));
        } finally {
          await db.delete(users).where(eq(users.email, benchOpsEmail(runTag)));
        }
      }
      return;
    }
    if (args.has("--console") || render) {
      const book = await newBook(db, businessId, "bench console 1M");
      await generateCodes(db, ACTOR, { couponBookId: book.id, quantity: 1_000_000, pattern: "BC-{XXXXXXXXXX}" }, META);
      await sellerConsolePath(db, businessId, book, 1_000_000, rows);
      console.log("");
      printTable(rows);
      if (render) {
        console.log("");
        server = await startServer(database.url);
        const cookie = await signInSeller(db, server.baseUrl, businessId, runTag);
        printRender(await timePages(server.baseUrl, cookie, consolePages(book)));
      }
      return;
    }

    const small = await newBook(db, businessId, "bench 100k");
    const g100k = await timed(() => generateCodes(db, ACTOR, { couponBookId: small.id, quantity: 100_000, pattern: "BA-{XXXXXXXXXX}" }, META));
    rows.push({ step: "generate 100k (one call)", items: g100k.value.generatedCount, seconds: g100k.seconds });
    console.log(`generate 100k: ${g100k.seconds.toFixed(2)} s`);

    let big: typeof small | undefined;
    if (!quick) {
      big = await newBook(db, businessId, "bench 1M");
      const rssBefore = process.memoryUsage().rss;
      peakRss = rssBefore;
      const g1m = await timed(() => generateCodes(db, ACTOR, { couponBookId: big!.id, quantity: 1_000_000, pattern: "BM-{XXXXXXXXXX}" }, META));
      const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(couponCodes).where(eq(couponCodes.bookId, big.id))) as [{ n: number }];
      if (n !== 1_000_000) throw new Error(`expected 1,000,000 codes, found ${n}`);
      rows.push({ step: "generate 1M (one call)", items: n, seconds: g1m.seconds, note: `peak RSS ${Math.round(peakRss / 2 ** 20)} MiB` });
      console.log(`generate 1M: ${g1m.seconds.toFixed(2)} s`);
    }

    const uploadBook = await newBook(db, businessId, "bench upload");
    const csv = multipartCsv(uploadBook.id, 200_000);
    peakRss = process.memoryUsage().rss;
    const up = await timed(() => uploadCodes(db, ACTOR, { contentType: csv.contentType, contentLength: null, body: csv.body }, META));
    if (up.value.uploadedCount !== 200_000) throw new Error(`expected 200,000 uploaded, got ${up.value.uploadedCount}`);
    rows.push({ step: "upload CSV 200k rows (multipart stream)", items: up.value.uploadedCount, seconds: up.seconds, note: `peak RSS ${Math.round(peakRss / 2 ** 20)} MiB` });
    console.log(`upload 200k: ${up.seconds.toFixed(2)} s`);

    const listed = big ?? small;
    const pages = 20;
    const label = big ? "1M" : "100k";
    const listPages = () =>
      timed(async () => {
        for (let i = 0; i < pages; i++) await listCodes(db, ACTOR, listed.id, { limit: 100, offset: i * 100 });
      });
    // Measured right after the bulk insert: generate refreshes the planner's statistics itself
    // (lib/coupons/code-statistics.ts); without that the first minute ran at ~650 ms a page.
    const list = await listPages();
    rows.push({ step: `list page of 100, ${label} book`, items: pages, seconds: list.seconds, note: `${((list.seconds / pages) * 1000).toFixed(1)} ms per page incl. count` });

    const exp = await timed(async () => {
      const file = await exportCodes(db, ACTOR, listed.id);
      let bytes = 0;
      let lines = 0;
      for await (const chunk of file.chunks) {
        bytes += chunk.length;
        for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) lines++;
      }
      return { bytes, lines };
    });
    rows.push({ step: `export CSV (${big ? "1M" : "100k"} book)`, items: exp.value.lines - 1, seconds: exp.seconds, note: `${(exp.value.bytes / 2 ** 20).toFixed(1)} MiB` });
    console.log(`export: ${exp.seconds.toFixed(2)} s`);

    await db.update(couponBooks).set({ status: "ACTIVE" }).where(eq(couponBooks.id, small.id));
    for (const concurrency of [1, 8]) {
      const total = concurrency === 1 ? 500 : 2_000;
      const result = await concurrently(total, concurrency, (n) =>
        assignRandomCoupon(db, ACTOR, { couponBookId: small.id, userId: `bench-${runTag}-${concurrency}-${n}` }, META),
      );
      rows.push({ step: `random assignment, ${concurrency} concurrent`, items: total - result.failures, seconds: result.seconds, note: latencyNote(result) });
    }

    await checkoutPath(db, businessId, runTag, quick ? 100_000 : 1_000_000, rows);
    await opsPath(db, businessId, quick ? 200_000 : 1_000_000, rows);
    await sellerConsolePath(db, businessId, listed, big ? 1_000_000 : 100_000, rows);

    console.log("");
    printTable(rows);
  } finally {
    await server?.stop();
    if (!keep) await cleanup(db, businessId);
    await client.end({ timeout: 5 });
    await database.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
