/** Tests truncate tables: refuse anything that is not a database on this machine. */
export function assertLocalDatabase(url: string) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host})`);
  }
}
