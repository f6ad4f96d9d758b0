import { describe, expect, it } from "vitest";
import * as assignCode from "@/app/api/assignments/[code]/route";
import * as assignRandom from "@/app/api/assignments/random/route";
import * as userAssignments from "@/app/api/assignments/user/[userId]/route";
import * as codesCsv from "@/app/api/coupon-books/[id]/codes.csv/route";
import * as book from "@/app/api/coupon-books/[id]/route";
import * as books from "@/app/api/coupon-books/route";
import * as bookCodes from "@/app/api/coupon-codes/book/[bookId]/route";
import * as generate from "@/app/api/coupon-codes/generate/route";
import * as uploadCodes from "@/app/api/coupon-codes/upload/route";
import * as lock from "@/app/api/coupons/[code]/lock/route";
import * as redeem from "@/app/api/coupons/[code]/redeem/route";
import * as unlock from "@/app/api/coupons/[code]/unlock/route";
import * as validate from "@/app/api/coupons/[code]/validate/route";
import * as promoApply from "@/app/api/internal/promo/apply/route";
import * as promoRedeem from "@/app/api/internal/promo/redeem/route";
import * as promoRelease from "@/app/api/internal/promo/release/route";
import * as opsCampaigns from "@/app/api/internal/promo/campaigns/route";
import * as opsDashboard from "@/app/api/internal/promo/dashboard/route";
import * as opsCampaignStatus from "@/app/api/internal/promo/campaigns/[id]/status/route";
import * as opsDisableCodes from "@/app/api/internal/promo/campaigns/[id]/codes/disable/route";
import * as opsEnableCodes from "@/app/api/internal/promo/campaigns/[id]/codes/enable/route";
import * as opsRefund from "@/app/api/internal/promo/purchases/[orderId]/refund/route";
import * as opsRefundRollback from "@/app/api/internal/promo/refund-rollback/route";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie } from "@/testing/http";
import { cartOf as cart } from "@/testing/promo-api";
import { settings } from "@/lib/env";

type Who = "none" | "badKey" | "apiKey" | "seller" | "shopper" | "ops" | "internal";
const EVERYONE: Who[] = ["none", "badKey", "apiKey", "seller", "shopper", "ops", "internal"];

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Endpoint {
  name: string;
  handler: Handler;
  method: string;
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
    const endpoints: Endpoint[] = [
      { name: "POST books", handler: books.POST, method: "POST", path: "/api/coupon-books", body: { name: "m", businessId: owner.businessId }, allowed: MANAGERS },
      { name: "GET books", handler: books.GET, method: "GET", path: "/api/coupon-books", allowed: MANAGERS },
      { name: "GET book", handler: book.GET, method: "GET", path: `/api/coupon-books/${id}`, params: { id }, allowed: MANAGERS },
      { name: "PATCH book", handler: book.PATCH, method: "PATCH", path: `/api/coupon-books/${id}`, params: { id }, body: { description: "x" }, allowed: MANAGERS },
      { name: "PUT book", handler: book.PUT, method: "PUT", path: `/api/coupon-books/${id}`, params: { id }, body: { description: "y" }, allowed: MANAGERS },
      {
        name: "generate",
        handler: generate.POST,
        method: "POST",
        path: "/api/coupon-codes/generate",
        body: { couponBookId: id, quantity: 1, pattern: "M-{XXXXXXXX}" },
        allowed: MANAGERS,
      },
      { name: "upload", handler: uploadCodes.POST, method: "POST", path: "/api/coupon-codes/upload", body: uploadForm(id), allowed: MANAGERS },
      { name: "list codes", handler: bookCodes.GET, method: "GET", path: `/api/coupon-codes/book/${id}`, params: { bookId: id }, allowed: MANAGERS },
      { name: "codes csv", handler: codesCsv.GET, method: "GET", path: `/api/coupon-books/${id}/codes.csv`, params: { id }, allowed: MANAGERS },
      { name: "assign random", handler: assignRandom.POST, method: "POST", path: "/api/assignments/random", body: { couponBookId: id, userId: "shopper-1" }, allowed: LIFECYCLE },
      { name: "assign code", handler: assignCode.POST, method: "POST", path: "/api/assignments/NOPE-1", params: { code: "NOPE-1" }, body: { userId: "shopper-1", businessId: owner.businessId }, allowed: LIFECYCLE },
      { name: "user assignments", handler: userAssignments.GET, method: "GET", path: "/api/assignments/user/shopper-1", params: { userId: "shopper-1" }, allowed: LIFECYCLE },
      ...(["lock", "unlock", "redeem"] as const).map((action) => ({
        name: action,
        handler: { lock, unlock, redeem }[action].POST,
        method: "POST",
        path: `/api/coupons/NOPE-1/${action}`,
        params: { code: "NOPE-1" },
        body: { userId: "shopper-1", businessId: owner.businessId },
        allowed: LIFECYCLE,
      })),
      {
        name: "validate",
        handler: validate.POST,
        method: "POST",
        path: "/api/coupons/NOPE-1/validate",
        params: { code: "NOPE-1" },
        body: { userId: "shopper-1", cart: cart(owner.businessId) },
        allowed: LIFECYCLE,
      },
      {
        name: "promo redeem",
        handler: promoRedeem.POST,
        method: "POST",
        path: "/api/internal/promo/redeem",
        body: { userId: "shopper-1", code: "NOPE-1", checkoutId: "m-1", cart: cart(owner.businessId) },
        allowed: OPERATORS,
      },
      { name: "promo apply", handler: promoApply.POST, method: "POST", path: "/api/internal/promo/apply", body: { checkoutId: "m-1", orderId: "o-1" }, allowed: OPERATORS },
      { name: "promo release", handler: promoRelease.POST, method: "POST", path: "/api/internal/promo/release", body: { checkoutId: "m-1" }, allowed: OPERATORS },
      { name: "ops campaigns", handler: opsCampaigns.GET, method: "GET", path: "/api/internal/promo/campaigns", allowed: OPERATORS },
      { name: "ops dashboard", handler: opsDashboard.GET, method: "GET", path: "/api/internal/promo/dashboard?window=1h", allowed: OPERATORS },
      { name: "ops campaign status", handler: opsCampaignStatus.POST, method: "POST", path: `/api/internal/promo/campaigns/${id}/status`, params: { id }, body: { status: "PAUSED" }, allowed: OPERATORS },
      { name: "ops disable codes", handler: opsDisableCodes.POST, method: "POST", path: `/api/internal/promo/campaigns/${id}/codes/disable`, params: { id }, body: { codes: ["NOPE-1"] }, allowed: OPERATORS },
      { name: "ops enable codes", handler: opsEnableCodes.POST, method: "POST", path: `/api/internal/promo/campaigns/${id}/codes/enable`, params: { id }, body: { codes: ["NOPE-1"] }, allowed: OPERATORS },
      { name: "ops refund", handler: opsRefund.POST, method: "POST", path: "/api/internal/promo/purchases/o-1/refund", params: { orderId: "o-1" }, body: { reason: "m" }, allowed: OPERATORS },
      { name: "ops refund rollback", handler: opsRefundRollback.POST, method: "POST", path: "/api/internal/promo/refund-rollback", body: { orderId: "o-1", reason: "m" }, allowed: OPERATORS },
    ];

    const failures: string[] = [];
    for (const endpoint of endpoints) {
      for (const who of EVERYONE) {
        const res = await call(endpoint.handler, { method: endpoint.method, path: endpoint.path, params: endpoint.params, body: endpoint.body, ...callers[who] });
        const expected = endpoint.allowed.includes(who) ? "through" : who === "none" || who === "badKey" ? 401 : 403;
        const got = res.status === 401 || res.status === 403 ? res.status : "through";
        if (got !== expected || res.status >= 500) failures.push(`${endpoint.name} as ${who}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
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
