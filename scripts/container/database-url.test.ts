import { describe, expect, it } from "vitest";
import { containerDatabaseUrl, MISSING_DATABASE_MESSAGE } from "./database-url";

const parts = { DATABASE_HOST: "db.internal", DATABASE_NAME: "coupons", DATABASE_USER: "app", DATABASE_PASSWORD: "p@ss/w:rd?#%" };

describe("containerDatabaseUrl", () => {
  it("takes DATABASE_URL as given, and only a postgres URL", () => {
    expect(containerDatabaseUrl({ DATABASE_URL: "postgres://u:p@h:5432/d", ...parts })).toEqual({ ok: true, url: "postgres://u:p@h:5432/d" });
    expect(containerDatabaseUrl({ DATABASE_URL: "mysql://u@h/d" })).toMatchObject({ ok: false });
    expect(containerDatabaseUrl({ DATABASE_URL: "not a url" })).toMatchObject({ ok: false });
  });

  it("assembles the URL from parts, so a generated password with URL characters survives", () => {
    const result = containerDatabaseUrl({ ...parts, DATABASE_PORT: "6432", DATABASE_SSL: "require" });
    if (!result.ok) throw new Error(result.message);
    const url = new URL(result.url);
    expect([url.hostname, url.port, url.pathname, url.searchParams.get("sslmode")]).toEqual(["db.internal", "6432", "/coupons", "require"]);
    expect([decodeURIComponent(url.username), decodeURIComponent(url.password)]).toEqual(["app", "p@ss/w:rd?#%"]);
    const defaults = containerDatabaseUrl(parts);
    expect(defaults.ok && [new URL(defaults.url).port, new URL(defaults.url).search]).toEqual(["5432", ""]);
  });

  it("says what is missing instead of falling back to a local database", () => {
    expect(containerDatabaseUrl({})).toEqual({ ok: false, message: MISSING_DATABASE_MESSAGE });
    const partial = containerDatabaseUrl({ DATABASE_HOST: "db.internal", DATABASE_NAME: "coupons" });
    expect(partial).toMatchObject({ ok: false });
    expect(!partial.ok && partial.message).toContain("DATABASE_USER, DATABASE_PASSWORD are missing");
    expect(containerDatabaseUrl({ ...parts, DATABASE_PORT: "five" })).toMatchObject({ ok: false });
    expect(containerDatabaseUrl({ ...parts, DATABASE_SSL: "disable" })).toMatchObject({ ok: false });
  });
});
