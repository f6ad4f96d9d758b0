import type postgres from "postgres";

/**
 * Statements with more parameters or text than this (bulk inserts of codes, CSV batches, long IN
 * lists) stay unnamed: a prepared statement lives as long as its connection, which would otherwise
 * keep a plan for every batch size it ever sent.
 */
const MAX_PREPARED_PARAMETERS = 100;
const MAX_PREPARED_CHARS = 16_384;

type Sql = postgres.Sql;
type UnsafeOptions = Parameters<Sql["unsafe"]>[2];

/**
 * The postgres.js client as drizzle should see it: request-sized statements prepared. drizzle asks
 * postgres.js for an unnamed statement unless the query was given a name (`prepare: false`), and
 * postgres.js sends an unnamed statement with parameters in two round trips (Parse and Describe
 * first, to learn the parameter types, then Bind and Execute), and queues the connection's other
 * queries behind the first. A prepared statement costs both only on its first use per connection,
 * then one round trip, and statements issued together are pipelined. Transactions (`begin`) and
 * savepoints hand drizzle a scoped client: wrapped the same way.
 */
export function preparingClient<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, parameters?: unknown[], options?: UnsafeOptions) =>
          target.unsafe(query, parameters as never, { ...options, prepare: (parameters?.length ?? 0) <= MAX_PREPARED_PARAMETERS && query.length <= MAX_PREPARED_CHARS });
      }
      if (property === "begin" || property === "savepoint") {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const work = args.pop() as (scoped: Sql) => unknown;
          return open.call(target, ...args, (scoped: Sql) => work(preparingClient(scoped)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
