import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { loggableError } from "@/lib/errors";
import { withRoute } from "@/lib/http/with-route";
import { captureLogs } from "@/lib/log";
import { call } from "@/testing/http";

const CODE = "LEAKY-SECRET-7K2Q";

// A route whose query fails inside PostgreSQL with a coupon code among its parameters: the driver's
// message quotes the value, drizzle's adds the SQL and a `params:` line, and both reach the stack.
const failingRoute = withRoute({ allow: ["internal"] }, async () => {
  await db.execute(sql`select ${CODE}::int as n`);
  return Response.json({});
});

describe("what a 500 writes to the log", () => {
  it("holds the error's name, the PostgreSQL code, a masked message and stack frames, never the code, the SQL or its parameters", async () => {
    const logs = captureLogs();
    let response;
    try {
      response = await call(failingRoute, { path: "/api/probe", token: process.env.INTERNAL_API_TOKEN });
    } finally {
      logs.stop();
    }
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: "Internal server error", code: "INTERNAL_ERROR" });
    expect(JSON.stringify(response.body)).not.toContain(CODE);

    const line = logs.lines.join("\n");
    expect(line).not.toContain(CODE);
    expect(line).not.toContain("params");
    expect(line).not.toContain("select");
    const errors = logs.lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "unhandled error");
    expect(errors).toHaveLength(1);
    const [entry] = errors;
    expect(entry.pgCode).toBe("22P02");
    expect(entry.error).toBe('invalid input syntax for type integer: "…"');
    expect(entry.stack).toMatch(/^\s+at /);
  });

  it("keeps an ordinary error's message, with quoted values masked", () => {
    const logged = loggableError(new TypeError('Cannot read properties of undefined (reading "code")'));
    expect(logged).toMatchObject({ errorName: "TypeError", pgCode: undefined, error: 'Cannot read properties of undefined (reading "…")' });
    expect(loggableError("a string thrown")).toMatchObject({ errorName: "string", error: undefined, stack: undefined });
  });
});
