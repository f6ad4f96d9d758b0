import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { settings } from "@/lib/env";
import { postgresConnection } from "./connection-url";
import { preparingClient } from "./prepared";

export type Db = PostgresJsDatabase;
/** A transaction handle; services that own a use case open one and pass it down. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export function createDb(url: string, options: { max?: number } = {}) {
  const connection = postgresConnection(url);
  const client = postgres(connection.url, {
    ...connection.options,
    max: options.max ?? settings("DATABASE_POOL_MAX").DATABASE_POOL_MAX,
    onnotice: () => {},
    connection: { application_name: "coupon-platform" },
  });
  const prepare = settings("DATABASE_PREPARE").DATABASE_PREPARE === "1";
  // No `schema`: with one, drizzle builds a relational query builder per table for every transaction
  // it opens, and this code base writes its queries with the query builder and `sql` only.
  return { db: drizzle(prepare ? preparingClient(client) : client), client };
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
