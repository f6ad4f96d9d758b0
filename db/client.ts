import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { settings } from "@/lib/env";
import { postgresUrl } from "./connection-url";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; services that own a use case open one and pass it down. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/** Statements longer or with more parameters than this stay unnamed (bulk inserts, long IN lists): see `preparing`. */
const PREPARE_MAX_CHARS = 16_384;
const PREPARE_MAX_PARAMETERS = 200;

type AnySql = postgres.Sql | postgres.TransactionSql;

/**
 * The driver handed to drizzle, with its statements prepared. drizzle asks postgres.js for an
 * unnamed statement unless a query is built with `.prepare(name)`, and postgres.js runs an unnamed
 * statement that has parameters in two round trips (Parse+Describe+Flush, then Bind+Execute), which
 * PostgreSQL parses and plans every time: a random assignment's ~10 statements were ~20 socket
 * writes and reads. A named statement is described once per connection (postgres.js keeps it under
 * its text and parameter types) and from then on is one round trip of Bind+Execute. Bulk statements
 * (generate's and upload's batches, long IN lists) stay unnamed, since a prepared statement lives as
 * long as its connection (postgres.js recycles connections after 30–60 min). `?prepare=false` in
 * DATABASE_URL turns preparation off altogether (postgres.js reads it), for a pooler in transaction
 * mode that cannot keep prepared statements.
 */
function preparing<S extends AnySql>(sql: S): S {
  const begin = (target: postgres.Sql, method: "begin") =>
    (...args: unknown[]) => {
      const callback = args.pop() as (tx: postgres.TransactionSql) => unknown;
      return (target[method] as (...a: unknown[]) => unknown)(...args, (tx: postgres.TransactionSql) => callback(preparing(tx)));
    };
  const savepoint = (target: postgres.TransactionSql) =>
    (...args: unknown[]) => {
      const callback = args.pop() as (tx: postgres.TransactionSql) => unknown;
      return (target.savepoint as (...a: unknown[]) => unknown)(...args, (tx: postgres.TransactionSql) => callback(preparing(tx)));
    };
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, parameters?: never[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(
            query,
            parameters,
            parameters && parameters.length > 0 && parameters.length <= PREPARE_MAX_PARAMETERS && query.length <= PREPARE_MAX_CHARS ? { ...options, prepare: true } : options,
          );
      }
      if (property === "begin" && "begin" in target) return begin(target as postgres.Sql, "begin");
      if (property === "savepoint" && "savepoint" in target) return savepoint(target as postgres.TransactionSql);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

export function createDb(url: string, options: { max?: number } = {}) {
  const client = postgres(postgresUrl(url), {
    max: options.max ?? settings("DATABASE_POOL_MAX").DATABASE_POOL_MAX,
    onnotice: () => {},
    connection: { application_name: "coupon-platform" },
  });
  return { db: drizzle(preparing(client), { schema }), client };
}

const globalForDb = globalThis as unknown as { couponDb?: ReturnType<typeof createDb> };

/** The process-wide pool (kept across Next dev hot reloads). */
function shared() {
  globalForDb.couponDb ??= createDb(settings("DATABASE_URL").DATABASE_URL);
  return globalForDb.couponDb;
}

/** Lazily connected so that importing a route module never opens a connection by itself. */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const target = shared().db as unknown as Record<PropertyKey, unknown>;
    const value = target[property];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
});

export async function closeDb() {
  const current = globalForDb.couponDb;
  globalForDb.couponDb = undefined;
  await current?.client.end({ timeout: 5 });
}
