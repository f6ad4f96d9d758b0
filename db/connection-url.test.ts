import { describe, expect, it } from "vitest";
import { postgresConnection, postgresUrl } from "./connection-url";

const neon = "postgresql://alex:AbC123dEf@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech/dbname";

describe("postgresUrl", () => {
  it("turns Neon's channel_binding=require into a verified certificate", () => {
    const url = new URL(postgresUrl(`${neon}?sslmode=require&channel_binding=require`));
    expect(url.searchParams.has("channel_binding")).toBe(false);
    expect(url.searchParams.get("sslmode")).toBe("verify-full");
    expect(`${url.protocol}//${url.username}:${url.password}@${url.host}${url.pathname}`).toBe(neon);
  });

  it("keeps a stricter sslmode and drops channel_binding=prefer or disable", () => {
    expect(new URL(postgresUrl(`${neon}?sslmode=verify-ca&channel_binding=require`)).searchParams.get("sslmode")).toBe("verify-ca");
    for (const binding of ["prefer", "disable"]) {
      const url = new URL(postgresUrl(`${neon}?sslmode=require&channel_binding=${binding}`));
      expect(url.searchParams.has("channel_binding")).toBe(false);
      expect(url.searchParams.get("sslmode")).toBe("require");
    }
  });

  it("gives back any other URL unchanged", () => {
    for (const url of ["postgres://postgres@127.0.0.1:5432/ci", `${neon}?sslmode=require`, "postgres://u:p%40ss@db:5432/app?application_name=x", "not a url"]) {
      expect(postgresUrl(url)).toBe(url);
    }
  });
});

describe("postgresConnection", () => {
  it("reads libpq's host and port query parameters as postgres.js's options: a directory is a Unix socket, its file named in full", () => {
    expect(postgresConnection("postgresql://app:secret@localhost/app?host=/cloudsql/p:r:i&application_name=x")).toEqual({
      url: "postgresql://app:secret@localhost/app?application_name=x",
      options: { path: "/cloudsql/p:r:i/.s.PGSQL.5432" },
    });
    expect(postgresConnection("postgresql:///app?host=/var/run/postgresql&port=5433")).toEqual({
      url: "postgresql:///app",
      options: { path: "/var/run/postgresql/.s.PGSQL.5433" },
    });
    expect(postgresConnection("postgresql://app@localhost:5434/app?host=/tmp")).toEqual({ url: "postgresql://app@localhost:5434/app", options: { path: "/tmp/.s.PGSQL.5434" } });
    expect(postgresConnection("postgresql://app@localhost/app?host=db.internal&port=6432")).toEqual({
      url: "postgresql://app@localhost/app",
      options: { host: "db.internal", port: 6432 },
    });
  });

  it("leaves a URL without them as postgresUrl gives it", () => {
    for (const url of ["postgres://postgres@127.0.0.1:5432/ci", `${neon}?sslmode=require&channel_binding=require`]) {
      expect(postgresConnection(url)).toEqual({ url: postgresUrl(url), options: {} });
    }
  });
});
