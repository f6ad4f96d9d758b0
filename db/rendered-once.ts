import { isDeepStrictEqual } from "node:util";
import { fillPlaceholders, sql, type Placeholder } from "drizzle-orm";
import type postgres from "postgres";
import type { DbOrTx } from "./client";

/** What `build` gets for each value: a placeholder when the statement is rendered for the cache, the value itself when checked. */
export type Bound<V> = { [K in keyof V]: V[K] | Placeholder<K & string, V[K]> };

/** A drizzle query builder: it renders itself into a prepared query, and executes. */
export interface Buildable {
  prepare(name: string): unknown;
  toSQL(): { sql: string; params: unknown[] };
  execute(): Promise<unknown>;
}

/** drizzle's postgres.js prepared query, as far as this module touches it. */
interface RenderedQuery {
  queryString: string;
  params: unknown[];
  execute(values: Record<string, unknown>): Promise<unknown>;
}

const rendered = new Map<string, RenderedQuery>();

/**
 * Checks each cached statement against a fresh rendering with the call's values: a value the build
 * took from its closure instead of `bound`, or a shape that the key does not name, would otherwise
 * be frozen into every later call. On in the test suites (which then check every call they make), or
 * with RENDERED_ONCE_CHECK=1 (a production build under an end-to-end run, say).
 */
const checking = process.env.NODE_ENV === "test" || process.env.RENDERED_ONCE_CHECK === "1";

const clientOf = (db: DbOrTx) => (db as unknown as { session: { client: postgres.Sql } }).session.client;

/**
 * Runs a hot statement whose SQL text is rendered once per `shape` and bound to `values` on every
 * call. drizzle renders a query's text on each execution (its `is()` checks, selections, escaping),
 * ~1 ms of CPU for a statement of several CTEs, about a fifth of a request's CPU on the hot paths
 * (docs/benchmarks.md, "Where the server's CPU goes").
 *
 * `build` must take every per-call value from `bound` (it gets placeholders when rendered for the
 * cache) and branch only on what `shape` names; with NODE_ENV=test each call is also rendered fresh
 * and compared, so a mistake fails the test that made the call. The query runs on `db`'s connection
 * (the caller's transaction), and whether it is a prepared statement is left to the driver
 * (db/prepared.ts, DATABASE_PREPARE).
 */
export async function renderedOnce<V extends Record<string, unknown>, Q extends Buildable>(
  db: DbOrTx,
  shape: string,
  values: V,
  build: (bound: Bound<V>) => Q,
): Promise<Awaited<ReturnType<Q["execute"]>>> {
  let query = rendered.get(shape);
  if (!query) {
    const placeholders = Object.fromEntries(Object.keys(values).map((name) => [name, sql.placeholder(name)])) as Bound<V>;
    query = build(placeholders).prepare(shape) as RenderedQuery;
    rendered.set(shape, query);
  }
  if (checking) assertRenderedAlike(shape, query, build(values).toSQL(), values);
  // The cached query, on this call's connection; `prepare: false` leaves naming to db/prepared.ts's wrapper.
  const onThisConnection = Object.create(query, { client: { value: clientOf(db) }, prepare: { value: false } }) as RenderedQuery;
  return onThisConnection.execute(values) as Promise<Awaited<ReturnType<Q["execute"]>>>;
}

function assertRenderedAlike(shape: string, cached: RenderedQuery, fresh: { sql: string; params: unknown[] }, values: Record<string, unknown>) {
  const params = fillPlaceholders(cached.params, values);
  // Parameter positions only: their values may be coupon codes, which never go to a log.
  const differing = params.flatMap((param, i) => (isDeepStrictEqual(param, fresh.params[i]) ? [] : [`$${i + 1}`]));
  if (cached.queryString !== fresh.sql || params.length !== fresh.params.length || differing.length > 0) {
    throw new Error(
      `renderedOnce("${shape}"): the cached statement differs from this call's own rendering; its shape key misses a branch or its build reads a value outside \`bound\`\n` +
        `cached: ${cached.queryString}\nfresh:  ${fresh.sql}\nparameters that differ: ${differing.join(", ") || "(their number)"}`,
    );
  }
}

/** For a test: forget the cached statements. */
export function forgetRenderedStatements() {
  rendered.clear();
}
