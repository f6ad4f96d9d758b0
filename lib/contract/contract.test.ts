import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ContractChecker } from "@/testing/contract";
import { discoverRoutes } from "@/testing/route-files";
import { buildOpenApiDocument } from "./document";
import { defineOperation } from "./operation";
import { OPERATIONS } from "./operations";
import { OPENAPI_FILE, PUBLISHED_FILES, renderPublishedFiles } from "./published-files";

/** app/api/coupon-books/[id] → /api/coupon-books/{id}; a catch-all `[...x]` keeps its prefix only. */
const templateOf = (route: string) => route.replace(/\/\[\.\.\.[^\]]+\]$/, "/*").replace(/\[([^\]]+)\]/g, "{$1}");

/** The catch-all 404 of /api: the document's description covers it; it has no operation of its own. */
const UNDOCUMENTED_ROUTES = new Set(["/api/*"]);

describe("the published contract", () => {
  const routes = [...discoverRoutes().values()];
  const operations = OPERATIONS.map((operation) => ({ key: `${operation.method} ${operation.path}`, operation }));

  it("has an operation for every method every route file serves", () => {
    const missing: string[] = [];
    for (const route of routes) {
      const template = templateOf(route.route);
      if (UNDOCUMENTED_ROUTES.has(template)) continue;
      for (const method of route.methods.filter((m) => m !== "HEAD" && m !== "OPTIONS")) {
        const documented = template.endsWith("/*")
          ? operations.some(({ operation }) => operation.method === method && operation.path.startsWith(template.slice(0, -1)))
          : operations.some(({ key }) => key === `${method} ${template}`);
        if (!documented) missing.push(`${method} ${template}`);
      }
    }
    expect(missing, "route methods without an operation in lib/contract/operations").toEqual([]);
  });

  it("serves every operation it documents", () => {
    const served = new Set(routes.flatMap((route) => route.methods.map((method) => `${method} ${templateOf(route.route)}`)));
    const unserved = operations
      .filter(({ operation }) => !served.has(`${operation.method} ${operation.path}`) && ![...served].some((key) => key.endsWith("/*") && `${operation.method} ${operation.path}`.startsWith(key.slice(0, -1))))
      .map(({ key }) => key);
    expect(unserved, "operations without a route file serving them").toEqual([]);
  });

  let rendered: ReturnType<typeof renderPublishedFiles> | undefined;
  it.each(PUBLISHED_FILES)("is committed as %s, current (npm run openapi rewrites it)", async (file) => {
    const expected = (await (rendered ??= renderPublishedFiles()))[file];
    expect(fs.existsSync(file) && fs.readFileSync(file, "utf8") === expected, `${file} is stale: run npm run openapi`).toBe(true);
  });

  it("passes the Redocly linter with no error", () => {
    const result = spawnSync(process.execPath, [path.join("node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", "--format=stylish", OPENAPI_FILE], {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  }, 60_000);

  it("fails an answer with a field its schema lacks, or without a field it requires", () => {
    const item = z.strictObject({ id: z.string(), name: z.string() }).meta({ id: "ContractTestItem" });
    const document = buildOpenApiDocument([
      defineOperation({ operationId: "getItem", method: "GET", path: "/api/items/{id}", tag: "Platform", summary: "An item", allow: ["ops"], responses: { 200: { description: "The item", schema: item } } }),
    ]);
    const checker = new ContractChecker(document);
    const answer = (body: unknown, status = 200) => checker.violation({ method: "GET", path: "/api/items/1", status, body, contentType: "application/json" });
    expect(answer({ id: "1", name: "a" })).toBeNull();
    expect(answer({ id: "1", name: "a", extra: true })).toMatch(/additional properties 'extra'/);
    expect(answer({ id: "1" })).toMatch(/must have required property 'name'/);
    expect(answer({ error: "x", code: "BOOK_NOT_FOUND" }, 404)).toMatch(/does not list/);
    expect(answer({ error: "Authentication required", code: "UNAUTHORIZED" }, 401)).toBeNull();
    expect(answer({ error: "Authentication required", code: "FORBIDDEN" }, 401)).toMatch(/must be equal to one of the allowed values/);
  });
});
