import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as assignRandom from "@/app/api/assignments/random/route";
import * as codesCsv from "@/app/api/coupon-books/[id]/codes.csv/route";
import * as book from "@/app/api/coupon-books/[id]/route";
import * as books from "@/app/api/coupon-books/route";
import * as bookCodes from "@/app/api/coupon-codes/book/[bookId]/route";
import * as generate from "@/app/api/coupon-codes/generate/route";
import * as uploadCodes from "@/app/api/coupon-codes/upload/route";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie, testUserId } from "@/testing/http";
import { cartOf as cart } from "@/testing/promo-api";
import { settings } from "@/lib/env";
import { HTTP_METHODS, type HttpMethod } from "@/lib/http/route-methods";
import { discoverRoutes, exportedNames, type RouteFile } from "@/testing/route-files";
import { db } from "@/db/client";
import type { Actor, ActorKind } from "@/lib/auth/actor";
import { resolveActor } from "@/lib/auth/resolve-actor";
import type { ServerAction } from "@/lib/http/server-action";
import { createApiKeyServerAction, listApiKeysServerAction, revokeApiKeyServerAction } from "@/lib/api-keys/api-key-actions";
import { createBookServerAction, startCodeGenerationServerAction, updateBookServerAction } from "@/lib/seller-console/book-form-actions";
import { applyCouponServerAction, claimOfferServerAction, placeOrderServerAction, removeCouponServerAction, setCartLineServerAction } from "@/lib/shop/actions";
import { setBookStatusServerAction } from "@/lib/book-actions/set-book-status";
import { refundRollbackServerAction } from "@/lib/ops/refund-actions";
import { assignCodeServerAction, assignRandomCodeServerAction, disableCodesServerAction, enableCodesServerAction } from "@/lib/seller-codes/code-actions";
import { SIGNED_IN_MESSAGE, signUpSellerRequest } from "@/lib/onboarding/sign-up-seller-request";
import { retryAlertDeliveryServerAction } from "@/lib/ops/alert-actions";
import { disableCampaignCodesServerAction, enableCampaignCodesServerAction, pauseCampaignServerAction, unpauseCampaignServerAction } from "@/lib/ops/campaign-actions";

type Who = "none" | "badKey" | "apiKey" | "seller" | "shopper" | "ops" | "internal";
const EVERYONE: Who[] = ["none", "badKey", "apiKey", "seller", "shopper", "ops", "internal"];

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Method = HttpMethod;
/**
 * Each route's served methods (the generated JSON 405s of routeMethods() are not among them: the
 * HTTP fuzz test covers those), and a loader for its module (imported only for the routes the matrix calls).
 */
type Routes = Map<string, RouteFile>;

/**
 * Routes deliberately outside the caller matrix, each with why. Listed by exact method: a method
 * added to one of them, or the file disappearing, fails the coverage check until this list changes.
 */
const EXEMPT_ROUTES: Record<string, { methods: Method[]; reason: string }> = {
  "/api/health": { methods: ["GET"], reason: "liveness probe for load balancers and uptime checks: public by design, reports no business data" },
  "/api/metrics": { methods: ["GET"], reason: "Prometheus scrape, guarded by its own METRICS_TOKEN (tests/metrics), not by a caller identity" },
  "/api/openapi.json": { methods: ["GET"], reason: "the published API contract: public like the /docs page that renders it, holds no data" },
  "/api/inngest": { methods: ["GET", "POST", "PUT"], reason: "Inngest's serve endpoint, authenticated by Inngest's signing key (tests/jobs)" },
  "/api/auth/[...nextauth]": { methods: ["GET", "POST"], reason: "Auth.js's own sign-in and session endpoints: they establish the identity the matrix checks" },
  "/api/[...path]": {
    methods: ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"],
    reason: "the catch-all of paths no route serves: a JSON 404 for everyone, touching nothing (tests/http/fuzz)",
  },
};

/**
 * Server actions ("use server" modules) are endpoints too: Next exposes every exported function to
 * any POST. An action that acts for a caller goes into the matrix (call it as each caller and assert
 * the same 401/403/through); one that is deliberately public is exempt here, with why. The coverage
 * check fails for a "use server" file or export listed in neither place.
 */
type ActionEntry = {
  action: ServerAction<unknown>;
  /** Who the matrix expects through; the action's own `allow` must say the same. */
  allowed: readonly ActorKind[];
  /** A valid input for a business's caller: the matrix sends it as each caller. */
  input: (ctx: { businessId: string }) => unknown;
};
/**
 * Each "use server" export that acts for a caller, with the lib/ action it runs (defineServerAction):
 * the test calls it as no one and as each kind of session caller and checks 401/403/through, like a route.
 */
const SERVER_ACTIONS_IN_MATRIX: Record<string, Record<string, ActionEntry>> = {
  "app/seller/api-keys/actions.ts": {
    listApiKeysAction: { action: listApiKeysServerAction, allowed: ["seller"], input: () => ({}) },
    createApiKeyAction: { action: createApiKeyServerAction, allowed: ["seller"], input: () => ({ name: "matrix" }) },
    // An unknown id: the seller gets through to the service (NOT_FOUND), everyone else is refused first.
    revokeApiKeyAction: { action: revokeApiKeyServerAction, allowed: ["seller"], input: () => ({ keyId: randomUUID() }) },
  },
  "app/seller/books/actions.ts": {
    createBookAction: { action: createBookServerAction, allowed: ["seller"], input: () => ({ name: "Matrix book", discountType: "PERCENT", discountValue: 10 }) },
    // No such book: the callers let through get NOT_FOUND from the service, the others 401/403 before it.
    updateBookAction: { action: updateBookServerAction, allowed: ["seller", "ops"], input: () => ({ bookId: crypto.randomUUID(), changes: { name: "Renamed" } }) },
    startCodeGenerationAction: {
      action: startCodeGenerationServerAction,
      allowed: ["seller", "ops"],
      input: () => ({ couponBookId: crypto.randomUUID(), quantity: 1, pattern: "M-{XXXXXXXX}" }),
    },
  },
  "app/seller/books/[id]/actions.ts": {
    // An id no one owns: the allowed callers get through to the service (BOOK_NOT_FOUND) and nothing changes.
    setBookStatusAction: { action: setBookStatusServerAction, allowed: ["seller", "ops"], input: () => ({ bookId: randomUUID(), status: "PAUSED" }) },
  },
  "app/seller/books/[id]/codes/actions.ts": {
    // A book no one owns: the allowed callers reach the service (BOOK_NOT_FOUND) and nothing changes.
    disableCodesAction: { action: disableCodesServerAction, allowed: ["seller", "ops"], input: () => ({ bookId: randomUUID(), codes: ["MATRIX-1"] }) },
    enableCodesAction: { action: enableCodesServerAction, allowed: ["seller", "ops"], input: () => ({ bookId: randomUUID(), codes: ["MATRIX-1"] }) },
    assignRandomCodeAction: { action: assignRandomCodeServerAction, allowed: ["seller", "ops"], input: () => ({ couponBookId: randomUUID(), userId: "matrix-user" }) },
    assignCodeAction: { action: assignCodeServerAction, allowed: ["seller", "ops"], input: () => ({ bookId: randomUUID(), code: "MATRIX-1", userId: "matrix-user" }) },
  },
  // An order no one placed: ops reach the service (PURCHASE_NOT_FOUND) and nothing changes.
  "app/ops/refunds/actions.ts": {
    refundRollbackAction: { action: refundRollbackServerAction, allowed: ["ops"], input: () => ({ orderId: `matrix-${randomUUID()}`, reason: "matrix" }) },
  },
  // Ops only: a campaign that does not exist, so the operator reaches the service (BOOK_NOT_FOUND) and nothing changes.
  "app/ops/campaigns/actions.ts": {
    pauseCampaignAction: { action: pauseCampaignServerAction, allowed: ["ops"], input: () => ({ campaignId: randomUUID(), status: "PAUSED", reason: "matrix" }) },
    unpauseCampaignAction: {
      action: unpauseCampaignServerAction,
      allowed: ["ops"],
      input: () => ({ campaignId: randomUUID(), status: "ACTIVE", reason: "matrix", checklist: { metadataVerified: true, burstOver: true, monitoringPlanned: true } }),
    },
    disableCampaignCodesAction: { action: disableCampaignCodesServerAction, allowed: ["ops"], input: () => ({ campaignId: randomUUID(), codes: ["MATRIX-1"], reason: "matrix" }) },
    enableCampaignCodesAction: { action: enableCampaignCodesServerAction, allowed: ["ops"], input: () => ({ campaignId: randomUUID(), all: true, reason: "matrix" }) },
  },
  // The session's shopper only: a checkout or book no one has reaches the service (CONFLICT, NOT_FOUND).
  "app/shop/actions.ts": {
    claimOfferAction: { action: claimOfferServerAction, allowed: ["shopper"], input: () => ({ couponBookId: randomUUID() }) },
    setCartLineAction: { action: setCartLineServerAction, allowed: ["shopper"], input: () => ({ productId: randomUUID(), quantity: 1 }) },
    applyCouponAction: { action: applyCouponServerAction, allowed: ["shopper"], input: () => ({ checkoutId: randomUUID(), code: "MATRIX-1" }) },
    removeCouponAction: { action: removeCouponServerAction, allowed: ["shopper"], input: () => ({ checkoutId: randomUUID() }) },
    placeOrderAction: { action: placeOrderServerAction, allowed: ["shopper"], input: () => ({ checkoutId: randomUUID() }) },
  },
  // An unknown delivery: ops reach the service (NOT_FOUND, nothing audited), everyone else is refused first.
  "app/ops/alerts/actions.ts": {
    retryAlertDeliveryAction: { action: retryAlertDeliveryServerAction, allowed: ["ops"], input: () => ({ deliveryId: randomUUID(), reason: "matrix" }) },
  },
};
const EXEMPT_SERVER_ACTIONS: Record<string, Record<string, string>> = {
  "app/auth-actions.ts": {
    signInWithPassword: "the login form itself: it takes credentials, so it must be callable without a session",
    signOutAction: "ends the caller's own session, whatever it is; there is nothing to authorize",
    signInWithGitHub: "starts the GitHub OAuth sign-in, so it must be callable without a session; it only redirects to GitHub",
  },
  "app/signup/actions.ts": {
    signUpSellerAction:
      "public by design: sign-up (it creates the identity the matrix checks); it refuses every signed-in caller, tested below and in lib/auth/sign-up.int.test.ts",
  },
};

const ROOT = process.cwd();
/** Modules under app/, lib/ and components/ with a "use server" directive, relative to the repository root. */
function serverActionFiles(): string[] {
  return ["app", "lib", "components"]
    .flatMap((dir) => {
      try {
        return (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).map((file) => `${dir}/${file.split(path.sep).join("/")}`);
      } catch {
        return []; // a directory that does not exist (yet) holds no actions
      }
    })
    .filter((file) => /\.(ts|tsx)$/.test(file) && !/\.test\.tsx?$/.test(file))
    .filter((file) => /^\s*(\/\/.*\n|\/\*[\s\S]*?\*\/\s*)*["']use server["']|\{\s*["']use server["']/m.test(readFileSync(path.join(ROOT, file), "utf8")))
    .sort();
}

/** The matrix's handler, from the imported module; its exported methods must be the ones the syntax tree showed. */
async function handlerOf(routes: Routes, endpoint: Endpoint): Promise<Handler> {
  const route = routes.get(endpoint.route);
  if (!route) throw new Error(`${endpoint.route}: no such route`);
  const mod = await route.load();
  expect(HTTP_METHODS.filter((method) => typeof mod[method] === "function"), endpoint.route).toEqual(route.exported);
  const handler = mod[endpoint.method];
  if (typeof handler !== "function") throw new Error(`${endpoint.method} ${endpoint.route}: no such method`);
  return handler as Handler;
}

/** What the matrix and the exemptions fail to describe, in both directions; empty when they match the files. */
function uncovered(routes: Routes, endpoints: Endpoint[]): string[] {
  const problems: string[] = [];
  const inMatrix = new Set(endpoints.map((e) => `${e.method} ${e.route}`));
  for (const [route, { methods }] of routes) {
    for (const method of methods) {
      const exempt = EXEMPT_ROUTES[route]?.methods.includes(method) ?? false;
      if (!inMatrix.has(`${method} ${route}`) && !exempt) problems.push(`${method} ${route}: exported but neither in the matrix nor exempt`);
      if (inMatrix.has(`${method} ${route}`) && exempt) problems.push(`${method} ${route}: both in the matrix and exempt`);
    }
  }
  for (const endpoint of endpoints) {
    if (!routes.get(endpoint.route)?.methods.includes(endpoint.method)) problems.push(`${endpoint.method} ${endpoint.route}: in the matrix but no such route file or export`);
  }
  for (const [route, { methods }] of Object.entries(EXEMPT_ROUTES)) {
    for (const method of methods) if (!routes.get(route)?.methods.includes(method)) problems.push(`${method} ${route}: exempt but no such route file or export`);
  }
  return problems;
}
interface Endpoint {
  name: string;
  /** The route's directory under app/, as Next names it: "/api/coupon-books/[id]". */
  route: string;
  method: Method;
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  allowed: Who[];
}

const MANAGERS: Who[] = ["apiKey", "seller", "ops", "internal"];

function uploadForm(couponBookId: string) {
  const form = new FormData();
  form.set("couponBookId", couponBookId);
  form.set("file", new Blob(["M-UPLOAD-1\n"]), "codes.csv");
  return form;
}
const LIFECYCLE: Who[] = [...MANAGERS, "shopper"];
const OPERATORS: Who[] = ["ops", "internal"];
const SHOPPER = testUserId("shopper-1");
const NO_RUN = randomUUID();

describe("who may call what (DESIGN §6)", () => {
  it("answers 401 without identity, 403 for the wrong kind of caller, and lets the right ones through", async () => {
    const INTERNAL_TOKEN = settings("INTERNAL_API_TOKEN").INTERNAL_API_TOKEN!; // set for the integration project in vitest.config.ts

    const owner = await businessWithKey();
    const target = await activeBook(owner.businessId, { codes: 3 });
    const callers: Record<Who, { token?: string; cookie?: string }> = {
      none: {},
      badKey: { token: "cpk_000000000000_notarealkeynotarealkeynotarealkey0" },
      apiKey: { token: owner.token },
      seller: { cookie: await sessionCookie({ uid: "seller-1", role: "seller", businessId: owner.businessId }) },
      shopper: { cookie: await sessionCookie({ uid: "shopper-1", role: "shopper" }) },
      ops: { cookie: await sessionCookie({ uid: "ops-1", role: "ops" }) },
      internal: { token: INTERNAL_TOKEN },
    };
    const id = target.id;
    const routes = discoverRoutes();
    const endpoints: Endpoint[] = [
      { name: "POST books", route: "/api/coupon-books", method: "POST", path: "/api/coupon-books", body: { name: "m", businessId: owner.businessId }, allowed: MANAGERS },
      { name: "GET books", route: "/api/coupon-books", method: "GET", path: "/api/coupon-books", allowed: MANAGERS },
      { name: "GET book", route: "/api/coupon-books/[id]", method: "GET", path: `/api/coupon-books/${id}`, params: { id }, allowed: MANAGERS },
      { name: "PATCH book", route: "/api/coupon-books/[id]", method: "PATCH", path: `/api/coupon-books/${id}`, params: { id }, body: { description: "x" }, allowed: MANAGERS },
      { name: "PUT book", route: "/api/coupon-books/[id]", method: "PUT", path: `/api/coupon-books/${id}`, params: { id }, body: { description: "y" }, allowed: MANAGERS },
      {
        name: "generate",
        route: "/api/coupon-codes/generate",
        method: "POST",
        path: "/api/coupon-codes/generate",
        body: { couponBookId: id, quantity: 1, pattern: "M-{XXXXXXXX}" },
        allowed: MANAGERS,
      },
      {
        name: "start generation run",
        route: "/api/coupon-codes/generation-runs",
        method: "POST",
        path: "/api/coupon-codes/generation-runs",
        body: { couponBookId: id, quantity: 1, pattern: "M-{XXXXXXXX}" },
        allowed: MANAGERS,
      },
      // A run no one started: the allowed callers reach the service (NOT_FOUND), the others are refused first.
      {
        name: "generation run",
        route: "/api/coupon-codes/generation-runs/[runId]",
        method: "GET",
        path: `/api/coupon-codes/generation-runs/${NO_RUN}`,
        params: { runId: NO_RUN },
        allowed: MANAGERS,
      },
      { name: "upload", route: "/api/coupon-codes/upload", method: "POST", path: "/api/coupon-codes/upload", body: uploadForm(id), allowed: MANAGERS },
      { name: "list codes", route: "/api/coupon-codes/book/[bookId]", method: "GET", path: `/api/coupon-codes/book/${id}`, params: { bookId: id }, allowed: MANAGERS },
      { name: "codes csv", route: "/api/coupon-books/[id]/codes.csv", method: "GET", path: `/api/coupon-books/${id}/codes.csv`, params: { id }, allowed: MANAGERS },
      { name: "assign random", route: "/api/assignments/random", method: "POST", path: "/api/assignments/random", body: { couponBookId: id, userId: SHOPPER }, allowed: LIFECYCLE },
      { name: "assign code", route: "/api/assignments/[code]", method: "POST", path: "/api/assignments/NOPE-1", params: { code: "NOPE-1" }, body: { userId: SHOPPER, businessId: owner.businessId }, allowed: LIFECYCLE },
      { name: "user assignments", route: "/api/assignments/user/[userId]", method: "GET", path: `/api/assignments/user/${SHOPPER}`, params: { userId: SHOPPER }, allowed: LIFECYCLE },
      ...(["lock", "unlock", "redeem"] as const).map((action): Endpoint => ({
        name: action,
        route: `/api/coupons/[code]/${action}`,
        method: "POST",
        path: `/api/coupons/NOPE-1/${action}`,
        params: { code: "NOPE-1" },
        body: { userId: SHOPPER, businessId: owner.businessId },
        allowed: LIFECYCLE,
      })),
      {
        name: "validate",
        route: "/api/coupons/[code]/validate",
        method: "POST",
        path: "/api/coupons/NOPE-1/validate",
        params: { code: "NOPE-1" },
        body: { userId: SHOPPER, cart: cart(owner.businessId) },
        allowed: LIFECYCLE,
      },
      {
        name: "promo redeem",
        route: "/api/internal/promo/redeem",
        method: "POST",
        path: "/api/internal/promo/redeem",
        body: { userId: SHOPPER, code: "NOPE-1", checkoutId: "m-1", cart: cart(owner.businessId) },
        allowed: OPERATORS,
      },
      { name: "promo apply", route: "/api/internal/promo/apply", method: "POST", path: "/api/internal/promo/apply", body: { checkoutId: "m-1", orderId: "o-1" }, allowed: OPERATORS },
      { name: "promo release", route: "/api/internal/promo/release", method: "POST", path: "/api/internal/promo/release", body: { checkoutId: "m-1" }, allowed: OPERATORS },
      { name: "ops campaigns", route: "/api/internal/promo/campaigns", method: "GET", path: "/api/internal/promo/campaigns", allowed: OPERATORS },
      { name: "ops dashboard", route: "/api/internal/promo/dashboard", method: "GET", path: "/api/internal/promo/dashboard?window=1h", allowed: OPERATORS },
      { name: "ops campaign status", route: "/api/internal/promo/campaigns/[id]/status", method: "POST", path: `/api/internal/promo/campaigns/${id}/status`, params: { id }, body: { status: "PAUSED" }, allowed: OPERATORS },
      { name: "ops disable codes", route: "/api/internal/promo/campaigns/[id]/codes/disable", method: "POST", path: `/api/internal/promo/campaigns/${id}/codes/disable`, params: { id }, body: { codes: ["NOPE-1"] }, allowed: OPERATORS },
      { name: "ops enable codes", route: "/api/internal/promo/campaigns/[id]/codes/enable", method: "POST", path: `/api/internal/promo/campaigns/${id}/codes/enable`, params: { id }, body: { codes: ["NOPE-1"] }, allowed: OPERATORS },
      { name: "ops refund", route: "/api/internal/promo/purchases/[orderId]/refund", method: "POST", path: "/api/internal/promo/purchases/o-1/refund", params: { orderId: "o-1" }, body: { reason: "m" }, allowed: OPERATORS },
      { name: "ops refund rollback", route: "/api/internal/promo/refund-rollback", method: "POST", path: "/api/internal/promo/refund-rollback", body: { orderId: "o-1", reason: "m" }, allowed: OPERATORS },
      { name: "ops audit trail", route: "/api/internal/promo/audit", method: "GET", path: "/api/internal/promo/audit?actor=system:guard", allowed: OPERATORS },
      { name: "ops alerts", route: "/api/internal/promo/alerts", method: "GET", path: "/api/internal/promo/alerts?deliveryStatus=FAILED", allowed: OPERATORS },
      // A delivery that does not exist: the allowed callers reach the service (NOT_FOUND), the others are refused first.
      {
        name: "ops retry alert delivery",
        route: "/api/internal/promo/alerts/deliveries/[deliveryId]/retry",
        method: "POST",
        path: `/api/internal/promo/alerts/deliveries/${NO_RUN}/retry`,
        params: { deliveryId: NO_RUN },
        body: { reason: "m" },
        allowed: OPERATORS,
      },
    ];

    expect(uncovered(routes, endpoints)).toEqual([]);
    const failures: string[] = [];
    for (const endpoint of endpoints) {
      for (const who of EVERYONE) {
        const res = await call(await handlerOf(routes, endpoint), { method: endpoint.method, path: endpoint.path, params: endpoint.params, body: endpoint.body, ...callers[who] });
        const expected = endpoint.allowed.includes(who) ? "through" : who === "none" || who === "badKey" ? 401 : 403;
        const got = res.status === 401 || res.status === 403 ? res.status : "through";
        if (got !== expected || res.status >= 500) failures.push(`${endpoint.name} as ${who}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("lists every server action, in the matrix or exempt with a reason, and nothing that does not exist", () => {
    const listed = { ...Object.fromEntries(Object.entries(SERVER_ACTIONS_IN_MATRIX).map(([file, actions]) => [file, Object.keys(actions)])), ...Object.fromEntries(Object.entries(EXEMPT_SERVER_ACTIONS).map(([file, actions]) => [file, Object.keys(actions)])) };
    const found: Record<string, string[]> = {};
    for (const file of serverActionFiles()) found[file] = exportedNames(path.join(ROOT, file)).sort();
    expect(Object.keys(found).length).toBeGreaterThan(0); // the scan itself works: the login actions exist
    const sorted = (record: Record<string, string[]>) => Object.fromEntries(Object.entries(record).map(([file, names]) => [file, [...names].sort()]).sort());
    expect(sorted(listed)).toEqual(sorted(found));
  });

  it("server actions answer like routes: UNAUTHORIZED without a session, FORBIDDEN for the wrong kind, through for the right one", async () => {
    const owner = await businessWithKey();
    const actors: Record<"seller" | "shopper" | "ops", Actor> = {
      seller: { kind: "user", role: "seller", userId: testUserId("seller-1"), businessId: owner.businessId },
      shopper: { kind: "user", role: "shopper", userId: testUserId("shopper-1") },
      ops: { kind: "user", role: "ops", userId: testUserId("ops-1") },
    };
    const meta = { ip: null, userAgent: null };
    const failures: string[] = [];
    for (const [file, actions] of Object.entries(SERVER_ACTIONS_IN_MATRIX)) {
      for (const [name, entry] of Object.entries(actions)) {
        const label = `${file} ${name}`;
        if ([...entry.action.allow].sort().join() !== [...entry.allowed].sort().join()) failures.push(`${label}: allows ${entry.action.allow.join(", ")}, the matrix expects ${entry.allowed.join(", ")}`);
        const anonymous = await entry.action.run({ actor: null, meta }, entry.input({ businessId: owner.businessId }));
        if (anonymous.ok || anonymous.code !== "UNAUTHORIZED") failures.push(`${label} without a session: ${JSON.stringify(anonymous)}`);
        for (const [who, actor] of Object.entries(actors)) {
          const result = await entry.action.run({ actor, meta }, entry.input({ businessId: owner.businessId }));
          const refused = !result.ok && (result.code === "UNAUTHORIZED" || result.code === "FORBIDDEN");
          const expected = entry.allowed.includes(who as ActorKind);
          if (expected === refused || (!result.ok && result.code === "INTERNAL_ERROR")) failures.push(`${label} as ${who}: ${JSON.stringify(result)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("the public sign-up action refuses every signed-in session (seller, shopper, ops) and creates nothing", async () => {
    const owner = await businessWithKey();
    const cookies = [
      await sessionCookie({ uid: "seller-1", role: "seller", businessId: owner.businessId }),
      await sessionCookie({ uid: "shopper-1", role: "shopper" }),
      await sessionCookie({ uid: "ops-1", role: "ops" }),
    ];
    for (const cookie of cookies) {
      // The actor the action resolves from its session, here from the same cookie a browser would send.
      const actor = await resolveActor(db, new Request("http://localhost/signup", { headers: { cookie } }));
      expect(actor).not.toBeNull();
      const signIn = () => Promise.reject(new Error("must not sign in"));
      const result = await signUpSellerRequest(db, { actor, meta: { ip: null, userAgent: null }, signIn }, {
        email: "matrix@signup.test",
        password: "a-long-enough-password",
        businessName: "Matrix shop",
      });
      expect(result).toEqual({ ok: false, fieldErrors: {}, formError: SIGNED_IN_MESSAGE });
    }
  });

  it("a seller key cannot read or write another business's book or codes", async () => {
    const owner = await businessWithKey();
    const intruder = await businessWithKey();
    const target = await activeBook(owner.businessId, { codes: 2 });
    const id = target.id;
    const attempts = [
      call(book.GET, { path: `/api/coupon-books/${id}`, params: { id }, token: intruder.token }),
      call(book.PUT, { method: "PUT", path: `/api/coupon-books/${id}`, params: { id }, token: intruder.token, body: { status: "PAUSED" } }),
      call(generate.POST, { path: "/api/coupon-codes/generate", token: intruder.token, body: { couponBookId: id, quantity: 1, pattern: "I-{XXXXXXXX}" } }),
      call(assignRandom.POST, { path: "/api/assignments/random", token: intruder.token, body: { couponBookId: id, userId: "u" } }),
      call(uploadCodes.POST, { path: "/api/coupon-codes/upload", token: intruder.token, body: uploadForm(id) }),
      call(bookCodes.GET, { path: `/api/coupon-codes/book/${id}`, params: { bookId: id }, token: intruder.token }),
      call(codesCsv.GET, { path: `/api/coupon-books/${id}/codes.csv`, params: { id }, token: intruder.token }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const listed = await call(books.GET, { path: `/api/coupon-books?businessId=${owner.businessId}`, token: intruder.token });
    expect(listed.status).toBe(403);
  });
});
