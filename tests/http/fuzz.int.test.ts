import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { settings } from "@/lib/env";
import { HTTP_METHODS, type HttpMethod } from "@/lib/http/route-methods";
import { MAX_MONEY } from "@/lib/pricing/money";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie, type CallResult } from "@/testing/http";
import { cartOf } from "@/testing/promo-api";
import { discoverRoutes } from "@/testing/route-files";

/**
 * Issue 10's fuzzer classes against EVERY route: NUL in every string (body leaves, keys, path
 * segments, query values), lone surrogates in bodies, dates PostgreSQL refuses, huge/negative/
 * non-numeric offsets and limits, malformed JSON, wrong types, bodies over the limit, unknown routes
 * and unsupported methods. None may answer 5xx, every error is JSON `{ error, code }`, and the
 * malformed ones change nothing in the database. Deterministic: the cases are a table derived from
 * one valid request per route.
 */

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Caller = { token?: string; cookie?: string };
type CallerKind = "apiKey" | "internal" | "shopper" | "ops";

/** Routes outside this test, with why. */
const EXEMPT: Record<string, string> = {
  "/api/auth/[...nextauth]": "Auth.js parses its own requests (sign-in, CSRF); its 405s are covered below like every route's",
  "/api/inngest": "Inngest's SDK endpoint, signed by INNGEST_SIGNING_KEY (tests/jobs); its 405s are covered below",
  "/api/[...path]": "the catch-all itself: the unknown-route cases below call it",
};

interface Sample {
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  /** Query values a list takes (each one gets NUL and pagination abuse). */
  query?: Record<string, string>;
  /** Not a withRoute handler and reads no query (health, metrics): only "no 5xx" applies to its query cases. */
  ignoresQuery?: boolean;
  callers: CallerKind[];
}

const JSON_LIMIT = 1024 * 1024;

async function snapshot() {
  const tables = (await db.execute<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`)).map((r) => r.name);
  const out: Record<string, string> = {};
  for (const table of tables) {
    // api_keys.last_used_at moves on every call by key; its rows must not.
    const [row] = await db.execute<{ digest: string }>(
      table === "api_keys"
        ? sql`select count(*)::text as digest from api_keys`
        : sql.raw(`select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') as digest from "${table}" t`),
    );
    out[table] = row!.digest;
  }
  return out;
}

/**
 * What PostgreSQL cannot store, each spliced into a string: U+0000, and a lone surrogate of either
 * half (JSON's `"\ud800"` escape parses to one; jsonb refuses it, text would store U+FFFD).
 */
const UNSTORABLE = [
  ["NUL", "\u0000"],
  ["lone high surrogate", "\ud800"],
  ["lone low surrogate", "\udfff"],
] as const;
const splice = (value: string, inserted: string) => `${value.slice(0, 2)}${inserted}${value.slice(2)}`;

/** Every string leaf (and one added key) of a body with an unstorable character in it, each alone, with its path for the report. */
function unstorableVariants(body: unknown): { where: string; body: unknown }[] {
  const out: { where: string; body: unknown }[] = [];
  for (const [name, char] of UNSTORABLE) {
    const walk = (value: unknown, path: (string | number)[]) => {
      if (typeof value === "string") out.push({ where: `${name} in ${path.join(".")}`, body: replaceAt(body, path, splice(value, char)) });
      else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
      else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    };
    walk(body, []);
    if (body && typeof body === "object" && !Array.isArray(body)) out.push({ where: `${name} in a key`, body: { ...body, [splice("name", char)]: "x" } });
  }
  return out;
}

/** Well-formed ISO 8601 instants PostgreSQL refuses: year 0, and past 9999 once the offset is applied. */
const OUT_OF_RANGE_INSTANTS = ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59-23:59"];
const looksLikeInstant = (value: string) => /^\d{4}-\d{2}-\d{2}T/.test(value);

/** Every leaf replaced by values of the wrong type (and a date string by instants out of range). */
function wrongTypeVariants(body: unknown): { where: string; body: unknown }[] {
  const out: { where: string; body: unknown }[] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) {
      out.push({ where: `${path.join(".")}=object`, body: replaceAt(body, path, { 0: value[0] }) });
      value.forEach((item, i) => walk(item, [...path, i]));
    } else if (value && typeof value === "object") {
      out.push({ where: `${path.join(".")}=array`, body: replaceAt(body, path, [value]) });
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    } else {
      // Numbers past every column and past the money range (MAX_MONEY + 1, 2^53 + 1), as well as wrong types.
      const wrong = typeof value === "string" ? [12345, true, ["x"], { x: 1 }, ...(looksLikeInstant(value) ? OUT_OF_RANGE_INSTANTS : [])] : [String(value), ["x"], { x: 1 }, 1e308, MAX_MONEY + 1, 2 ** 53 + 1, -1, 0.5];
      for (const w of wrong) out.push({ where: `${path.join(".")}=${JSON.stringify(w)}`, body: replaceAt(body, path, w) });
    }
  };
  walk(body, []);
  return out;
}

function replaceAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) return root.map((item, i) => (i === head ? replaceAt(item, rest, value) : item));
  const record = root as Record<string, unknown>;
  return { ...record, [head!]: replaceAt(record[head!], rest, value) };
}

const MALFORMED_JSON = ["{", '{"a":', "[]", '"text"', "null", "123", "true", "{'a':1}", "\u0000", "[".repeat(5000) + "]".repeat(5000), `{"a":"\\u0000"}`];
const PAGINATION_ABUSE = ["1e20", "-1", "-1e20", "abc", "Infinity", "NaN", "9223372036854775808", "0x10", "1.5", "", "%00"];

function isErrorBody(body: unknown): boolean {
  return typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string" && typeof (body as { code?: unknown }).code === "string";
}

describe("HTTP fuzz: no input makes a 500 (issue 10)", () => {
  it("sends every malformed class to every route: no 5xx, errors are JSON {error, code}, nothing is written", async () => {
    const owner = await businessWithKey();
    const book = await activeBook(owner.businessId, { codes: 3 });
    const id = book.id;
    const callers: Record<CallerKind, Caller> = {
      apiKey: { token: owner.token },
      internal: { token: settings("INTERNAL_API_TOKEN").INTERNAL_API_TOKEN! },
      shopper: { cookie: await sessionCookie({ uid: "shopper-1", role: "shopper" }) },
      ops: { cookie: await sessionCookie({ uid: "ops-1", role: "ops" }) },
    };
    const MANAGERS: CallerKind[] = ["apiKey", "ops"];
    const LIFECYCLE: CallerKind[] = ["apiKey", "shopper"];
    const OPERATORS: CallerKind[] = ["internal", "ops"];
    const cart = cartOf(owner.businessId);
    const action = { userId: "shopper-1", checkoutId: "chk-1", orderId: "ord-1", businessId: owner.businessId, cart };

    const samples: Record<string, Sample> = {
      "GET /api/coupon-books": { path: "/api/coupon-books", query: { q: "book", status: "ACTIVE", businessId: owner.businessId }, callers: MANAGERS },
      "POST /api/coupon-books": {
        path: "/api/coupon-books",
        body: { name: "Fuzz", description: "d", codeKind: "GENERIC", code: "FUZZ10", discountType: "PERCENT", discountValue: 10, currency: "USD", codePrefix: "FZ", expiresAt: "2999-01-01T00:00:00Z" },
        callers: MANAGERS,
      },
      "GET /api/coupon-books/[id]": { path: `/api/coupon-books/${id}`, params: { id }, callers: MANAGERS },
      "PUT /api/coupon-books/[id]": { path: `/api/coupon-books/${id}`, params: { id }, body: { name: "Renamed", description: "x", status: "PAUSED", validFrom: "2026-01-01T00:00:00Z" }, callers: MANAGERS },
      "PATCH /api/coupon-books/[id]": { path: `/api/coupon-books/${id}`, params: { id }, body: { name: "Renamed", description: "x", status: "PAUSED", validFrom: "2026-01-01T00:00:00Z" }, callers: MANAGERS },
      "GET /api/coupon-books/[id]/codes.csv": { path: `/api/coupon-books/${id}/codes.csv`, params: { id }, callers: MANAGERS },
      "POST /api/coupon-codes/generate": { path: "/api/coupon-codes/generate", body: { couponBookId: id, quantity: 1, pattern: "FZ-{XXXXXXXX}" }, callers: MANAGERS },
      "POST /api/coupon-codes/generation-runs": { path: "/api/coupon-codes/generation-runs", body: { couponBookId: id, quantity: 1, pattern: "FZ-{XXXXXXXX}", requestKey: "fuzz" }, callers: MANAGERS },
      "GET /api/coupon-codes/generation-runs/[runId]": { path: `/api/coupon-codes/generation-runs/${id}`, params: { runId: id }, callers: MANAGERS },
      "POST /api/coupon-codes/upload": { path: "/api/coupon-codes/upload", query: { couponBookId: id }, callers: MANAGERS },
      "GET /api/coupon-codes/book/[bookId]": { path: `/api/coupon-codes/book/${id}`, params: { bookId: id }, query: { status: "AVAILABLE" }, callers: MANAGERS },
      "POST /api/assignments/random": { path: "/api/assignments/random", body: { couponBookId: id, userId: "shopper-1" }, callers: LIFECYCLE },
      "POST /api/assignments/[code]": { path: "/api/assignments/NOPE-1", params: { code: "NOPE-1" }, body: { userId: "shopper-1", businessId: owner.businessId }, callers: LIFECYCLE },
      "GET /api/assignments/user/[userId]": { path: "/api/assignments/user/shopper-1", params: { userId: "shopper-1" }, query: {}, callers: LIFECYCLE },
      ...Object.fromEntries(
        (["lock", "unlock", "redeem"] as const).map((verb) => [
          `POST /api/coupons/[code]/${verb}`,
          { path: `/api/coupons/NOPE-1/${verb}`, params: { code: "NOPE-1" }, body: action, callers: LIFECYCLE },
        ]),
      ),
      "POST /api/coupons/[code]/validate": { path: "/api/coupons/NOPE-1/validate", params: { code: "NOPE-1" }, body: { userId: "shopper-1", checkoutId: "chk-1", cart }, callers: LIFECYCLE },
      "POST /api/internal/promo/redeem": {
        path: "/api/internal/promo/redeem",
        body: { userId: "shopper-1", code: "NOPE-1", checkoutId: "chk-1", cart, ip: "203.0.113.7" },
        callers: OPERATORS,
      },
      "POST /api/internal/promo/apply": { path: "/api/internal/promo/apply", body: { checkoutId: "chk-1", orderId: "ord-1" }, callers: OPERATORS },
      "POST /api/internal/promo/release": { path: "/api/internal/promo/release", body: { checkoutId: "chk-1" }, callers: OPERATORS },
      "GET /api/internal/promo/campaigns": {
        path: "/api/internal/promo/campaigns",
        query: { q: "book", status: "ACTIVE", validity: "current", businessId: owner.businessId },
        callers: OPERATORS,
      },
      "GET /api/internal/promo/dashboard": { path: "/api/internal/promo/dashboard", query: { window: "1h", businessId: owner.businessId }, callers: OPERATORS },
      "POST /api/internal/promo/campaigns/[id]/status": { path: `/api/internal/promo/campaigns/${id}/status`, params: { id }, body: { status: "PAUSED", reason: "fuzz" }, callers: OPERATORS },
      "POST /api/internal/promo/campaigns/[id]/codes/disable": { path: `/api/internal/promo/campaigns/${id}/codes/disable`, params: { id }, body: { codes: ["NOPE-1", "NOPE-2"], reason: "r" }, callers: OPERATORS },
      "POST /api/internal/promo/campaigns/[id]/codes/enable": { path: `/api/internal/promo/campaigns/${id}/codes/enable`, params: { id }, body: { codes: ["NOPE-1", "NOPE-2"], reason: "r" }, callers: OPERATORS },
      "POST /api/internal/promo/purchases/[orderId]/refund": { path: "/api/internal/promo/purchases/ord-1/refund", params: { orderId: "ord-1" }, body: { reason: "fuzz", businessId: owner.businessId }, callers: OPERATORS },
      "POST /api/internal/promo/refund-rollback": { path: "/api/internal/promo/refund-rollback", body: { orderId: "ord-1", reason: "fuzz", businessId: owner.businessId }, callers: OPERATORS },
      "GET /api/internal/promo/alerts": {
        path: "/api/internal/promo/alerts",
        query: { severity: "critical", eventType: "payments_recovery_review_required", deliveryStatus: "FAILED", businessId: owner.businessId, since: "2026-01-01T00:00:00Z" },
        callers: OPERATORS,
      },
      "GET /api/internal/promo/audit": {
        path: "/api/internal/promo/audit",
        query: { bookId: id, actor: "system:guard", from: "2026-01-01T00:00:00Z", to: "2999-01-01T00:00" },
        callers: OPERATORS,
      },
      "POST /api/internal/promo/alerts/deliveries/[deliveryId]/retry": {
        path: `/api/internal/promo/alerts/deliveries/${id}/retry`,
        params: { deliveryId: id },
        body: { reason: "fuzz" },
        callers: OPERATORS,
      },
      "GET /api/health": { path: "/api/health", query: {}, ignoresQuery: true, callers: ["apiKey"] },
      "GET /api/metrics": { path: "/api/metrics", query: {}, ignoresQuery: true, callers: ["apiKey"] },
      "GET /api/openapi.json": { path: "/api/openapi.json", query: {}, ignoresQuery: true, callers: ["apiKey"] },
    };

    const routes = discoverRoutes();
    // The table covers every served method of every route that is not exempt, and nothing else.
    const served = [...routes.values()].filter((r) => !EXEMPT[r.route]).flatMap((r) => r.methods.filter((m) => m !== "HEAD").map((m) => `${m} ${r.route}`));
    expect(Object.keys(samples).sort()).toEqual(served.sort());
    for (const route of Object.keys(EXEMPT)) expect(routes.has(route), route).toBe(true);

    const before = await snapshot();
    const failures: string[] = [];
    let sent = 0;
    const check = (label: string, res: CallResult, expectStatus?: number | ((status: number) => boolean), expectCode?: string) => {
      sent++;
      if (res.status >= 500) failures.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else if (res.status >= 300 && !isErrorBody(res.body)) failures.push(`${label}: ${res.status} without a JSON {error, code}: ${String(JSON.stringify(res.body)).slice(0, 200)}`);
      else if (typeof expectStatus === "number" && res.status !== expectStatus) failures.push(`${label}: expected ${expectStatus}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else if (typeof expectStatus === "function" && !expectStatus(res.status)) failures.push(`${label}: unexpected ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else if (expectCode && res.body?.code !== expectCode) failures.push(`${label}: expected code ${expectCode}, got ${JSON.stringify(res.body).slice(0, 200)}`);
    };
    const isClientError = (status: number) => status >= 400 && status < 500;

    for (const [key, sample] of Object.entries(samples)) {
      const [method, route] = key.split(" ") as [HttpMethod, string];
      const mod = await routes.get(route)!.load();
      const handler = mod[method] as Handler;
      for (const kind of sample.callers) {
        const who = callers[kind];
        const send = (over: { path?: string; params?: Record<string, string>; body?: unknown; headers?: Record<string, string> }) =>
          call(handler, { method, path: over.path ?? sample.path, params: over.params ?? sample.params, body: "body" in over ? over.body : sample.body, headers: over.headers, ...who });
        const label = (what: string) => `${key} as ${kind}, ${what}`;
        const refused = sample.ignoresQuery ? undefined : 400;

        // NUL in each path parameter, as Next hands it over (decoded from %00).
        for (const [name, value] of Object.entries(sample.params ?? {})) {
          const bad = `${value.slice(0, 2)}\u0000${value.slice(2)}`;
          const res = await send({ path: sample.path.replace(encodeURIComponent(value), encodeURIComponent(bad)), params: { ...sample.params, [name]: bad } });
          check(label(`NUL in :${name}`), res, 400, "VALIDATION_ERROR");
        }
        // NUL in each query value and in a query key; pagination abuse on lists.
        if (method === "GET" || sample.query) {
          const query = { ...sample.query, limit: "5", offset: "0" };
          for (const name of Object.keys(query)) {
            const res = await send({ path: `${sample.path}?${new URLSearchParams({ ...query, [name]: "a\u0000b" })}` });
            check(label(`NUL in ?${name}`), res, refused, refused && "VALIDATION_ERROR");
          }
          check(label("NUL in a query key"), await send({ path: `${sample.path}?x%00y=1` }), refused, refused && "VALIDATION_ERROR");
          for (const [name, value] of Object.entries(query).filter(([, v]) => looksLikeInstant(v))) {
            for (const instant of OUT_OF_RANGE_INSTANTS) {
              const res = await send({ path: `${sample.path}?${new URLSearchParams({ ...query, [name]: instant })}` });
              check(label(`?${name}=${instant} (was ${value})`), res, 400, "VALIDATION_ERROR");
            }
          }
          if (method === "GET") {
            for (const name of ["offset", "limit"]) {
              for (const value of PAGINATION_ABUSE) {
                const res = await send({ path: `${sample.path}?${name}=${value === "%00" ? value : encodeURIComponent(value)}` });
                check(label(`?${name}=${value}`), res, value === "%00" ? refused : undefined);
              }
            }
          }
        }
        if (sample.body === undefined || method === "GET") continue;
        for (const variant of unstorableVariants(sample.body)) check(label(`body: ${variant.where}`), await send({ body: variant.body }), 400, "VALIDATION_ERROR");
        for (const variant of wrongTypeVariants(sample.body)) check(label(`wrong type ${variant.where}`), await send({ body: variant.body }), isClientError);
        for (const text of MALFORMED_JSON) {
          check(label(`malformed JSON ${JSON.stringify(text.slice(0, 12))}`), await send({ body: text, headers: { "content-type": "application/json" } }), isClientError);
        }
        const huge = JSON.stringify({ ...(sample.body as object), description: "x".repeat(JSON_LIMIT) });
        check(label("body over the limit"), await send({ body: huge, headers: { "content-type": "application/json" } }), 413, "PAYLOAD_TOO_LARGE");
      }
    }

    // Every method a route file does not serve answers a JSON 405 with Allow, from every route file.
    for (const route of routes.values()) {
      if (route.route === "/api/[...path]") continue;
      // Read from the syntax tree first: Auth.js's module does not load outside Next.
      const missing = HTTP_METHODS.filter((method) => !route.exported.includes(method));
      if (missing.length > 0) failures.push(`${route.route}: ${missing.join(", ")} not exported, so Next answers an empty 405: export them through routeMethods()`);
      if (route.route === "/api/auth/[...nextauth]") continue;
      const mod = await route.load();
      for (const method of HTTP_METHODS) {
        if (route.methods.includes(method) || method === "HEAD" || method === "OPTIONS") continue;
        const handler = mod[method];
        if (typeof handler !== "function") {
          failures.push(`${method} ${route.route}: not exported, so Next answers an empty 405: export it through routeMethods()`);
          continue;
        }
        const res = await call(handler as Handler, { method, path: route.route, params: {} });
        check(`${method} ${route.route} (unsupported)`, res, 405, "METHOD_NOT_ALLOWED");
        const allow = res.headers.get("allow") ?? "";
        for (const m of route.methods) if (!allow.includes(m)) failures.push(`${method} ${route.route}: Allow "${allow}" lacks ${m}`);
      }
      if (typeof mod.OPTIONS === "function") {
        const res = await (mod.OPTIONS as Handler)(new Request(`http://localhost${route.route}`, { method: "OPTIONS" }), { params: Promise.resolve({}) });
        if (res.status !== 204 || !res.headers.get("allow")) failures.push(`OPTIONS ${route.route}: ${res.status} allow=${res.headers.get("allow")}`);
      } else failures.push(`OPTIONS ${route.route}: not exported`);
    }

    // Unknown /api paths, any method: the catch-all's JSON 404.
    const catchAll = await routes.get("/api/[...path]")!.load();
    for (const path of ["/api/nope", "/api/coupons/X/steal", "/api/coupon-books/x/y/z", "/api/A%00B", "/api/internal"]) {
      for (const method of HTTP_METHODS) {
        if (method === "HEAD") continue;
        const res = await call(catchAll[method] as Handler, { method, path, params: { path: path.split("/").slice(2).join("/") }, ...callers.apiKey });
        check(`${method} ${path} (unknown)`, res, 404, "NOT_FOUND");
      }
    }

    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect(sent).toBeGreaterThan(1000);
    // Thousands of requests, growing with every route: past the default 30 s on a loaded machine (33 s seen at load 13).
  }, 120_000);
});
