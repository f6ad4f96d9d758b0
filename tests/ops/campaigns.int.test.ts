import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as bookRoute from "@/app/api/coupon-books/[id]/route";
import { db } from "@/db/client";
import { couponBooks, couponCodes, promoAttempts, redemptionAudit } from "@/db/schema";
import { assignCode, codesOf } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { call, sessionCookie, testUserId } from "@/testing/http";
import { listCampaigns, setStatus } from "@/testing/ops-api";
import { cartOf, promoApply, promoRedeem } from "@/testing/promo-api";
import { setCampaignStatus } from "@/lib/ops/campaign-status";

const parallel = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
const hourFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000);

const ops = async () => ({ cookie: await sessionCookie({ uid: "ops-1", role: "ops" }) });
const seller = async (businessId: string) => ({ cookie: await sessionCookie({ uid: "seller-1", role: "seller", businessId }) });
const shopper = async () => ({ cookie: await sessionCookie({ uid: "shopper-1", role: "shopper" }) });

const patchBook = (id: string, body: unknown, who: { token?: string; cookie?: string }) =>
  call(bookRoute.PATCH, { method: "PATCH", path: `/api/coupon-books/${id}`, params: { id }, body, ...who });

/** Books created one after another, so "newest first" has one answer. */
async function campaigns() {
  const a = await businessWithKey("alpha");
  const b = await businessWithKey("beta");
  const unique = await activeBook(a.businessId, { codes: 5, pattern: "SPRING-{XXXXXX}", overrides: { name: "Spring sale", codePrefix: "SPRING-" } });
  const welcome = await genericBook(a.businessId, "WELCOME10", {
    name: "Welcome",
    discountType: "FIXED",
    discountValue: 500,
    maxRedeemsPerUser: 1,
    maxCodesPerUser: 1,
    maxTotalRedemptions: 10,
    budgetAmount: 4_000,
  });
  const draft = await activeBook(b.businessId, { codes: 0, overrides: { name: "Draft one", status: "DRAFT" } });
  const [lapsed] = await db
    .insert(couponBooks)
    .values({ businessId: b.businessId, name: "Lapsed", status: "ACTIVE", expiresAt: new Date(Date.now() - 60_000) })
    .returning();
  const upcoming = await activeBook(b.businessId, { codes: 2, pattern: "LATER-{XXXXXX}", overrides: { name: "Later", validFrom: hourFromNow(24), expiresAt: hourFromNow(48) } });
  const paused = await activeBook(b.businessId, { codes: 2, pattern: "HUSH-{XXXXXX}", overrides: { name: "Hushed", status: "PAUSED", pausedBy: "system:guard" } });
  return { a, b, unique, welcome, draft, lapsed: lapsed!, upcoming, paused };
}

const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((c) => c.id);

describe("GET /api/internal/promo/campaigns", () => {
  it("lists every business's campaigns newest first, in the list envelope, with their usage", async () => {
    const { a, unique, welcome, draft, lapsed, upcoming, paused } = await campaigns();
    const [held, , spare] = await codesOf(unique.id);
    await assignCode({ token: a.token }, held!, { userId: "ana" });
    await db.update(couponCodes).set({ status: "DISABLED" }).where(eq(couponCodes.code, spare!));
    // Welcome: one applied use (500) and one live reservation (500).
    expect((await promoRedeem({ userId: "ana", code: "WELCOME10", checkoutId: "c-1", cart: cartOf(a.businessId) })).body.result).toBe("ACCEPTED");
    expect((await promoApply({ checkoutId: "c-1", orderId: "o-1" })).status).toBe(200);
    expect((await promoRedeem({ userId: "bob", code: "WELCOME10", checkoutId: "c-2", cart: cartOf(a.businessId) })).body.result).toBe("ACCEPTED");

    const res = await listCampaigns("", await ops());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 6, limit: 50, offset: 0 });
    expect(ids(res)).toEqual([paused.id, upcoming.id, lapsed.id, draft.id, welcome.id, unique.id]);

    const byId = new Map(res.body.data.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(unique.id)).toMatchObject({
      name: "Spring sale",
      status: "ACTIVE",
      codeKind: "UNIQUE",
      code: null,
      codePrefix: "SPRING-",
      pausedBy: null,
      resumedAt: null,
      usage: {
        codes: { total: 5, available: 3, assigned: 1, disabled: 1 },
        assignments: 1,
        redeemedAssignments: 0,
        conversion: 0,
        appliedUses: 0,
        liveReservations: 0,
        discountApplied: 0,
        discountReserved: 0,
        remainingRedemptions: null,
        remainingBudget: null,
      },
    });
    expect(byId.get(welcome.id)).toMatchObject({
      code: "WELCOME10",
      maxTotalRedemptions: 10,
      budgetAmount: 4_000,
      usage: {
        codes: { total: 1, available: 1, assigned: 0, disabled: 0 },
        assignments: 2,
        redeemedAssignments: 1,
        conversion: 0.5,
        appliedUses: 1,
        liveReservations: 1,
        discountApplied: 500,
        discountReserved: 500,
        remainingRedemptions: 8,
        remainingBudget: 3_000,
      },
    });
    expect(byId.get(lapsed.id)).toMatchObject({ status: "EXPIRED", isExpired: true });
    expect(byId.get(paused.id)).toMatchObject({ status: "PAUSED", pausedBy: "system:guard" });
  });

  it("filters by status, business, validity and a search over names, prefixes and public codes", async () => {
    const { a, b, unique, welcome, draft, lapsed, upcoming, paused } = await campaigns();
    const who = await ops();
    const list = async (query: string) => {
      const res = await listCampaigns(query, who);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(res.body.data.length);
      return ids(res);
    };
    expect(await list("status=PAUSED")).toEqual([paused.id]);
    expect(await list("status=ACTIVE")).toEqual([upcoming.id, welcome.id, unique.id]);
    expect(await list("status=EXPIRED")).toEqual([lapsed.id]);
    expect(await list("status=DRAFT")).toEqual([draft.id]);
    expect(await list(`businessId=${a.businessId}`)).toEqual([welcome.id, unique.id]);
    expect(await list(`businessId=${b.businessId}&status=ACTIVE`)).toEqual([upcoming.id]);
    expect(await list("validity=current")).toEqual([paused.id, draft.id, welcome.id, unique.id]);
    expect(await list("validity=upcoming")).toEqual([upcoming.id]);
    expect(await list("validity=expired")).toEqual([lapsed.id]);
    expect(await list("q=spring%20SALE")).toEqual([unique.id]);
    expect(await list("q=spring-")).toEqual([unique.id]);
    expect(await list("q=welcome1")).toEqual([welcome.id]);
    expect(await list("q=hush")).toEqual([paused.id]);
    expect(await list("q=100%25")).toEqual([]);
    // A UNIQUE book's own codes are not searched: that would scan every code of every book.
    const [someCode] = await codesOf(unique.id);
    expect(await list(`q=${someCode}`)).toEqual([]);
  });

  it("pages with limit/offset, clamps the limit and refuses unknown filter values", async () => {
    const { unique, welcome } = await campaigns();
    const who = await ops();
    const page = await listCampaigns("limit=2&offset=4", who);
    expect(page.body).toMatchObject({ total: 6, limit: 2, offset: 4 });
    expect(ids(page)).toEqual([welcome.id, unique.id]);
    expect((await listCampaigns("limit=0", who)).body).toMatchObject({ limit: 1, data: [expect.anything()] });
    expect((await listCampaigns("limit=5000&offset=-3", who)).body).toMatchObject({ limit: 1000, offset: 0, total: 6 });

    for (const bad of ["status=LIVE", "validity=soon", "businessId=alpha", `q=${"x".repeat(201)}`]) {
      const res = await listCampaigns(bad, who);
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe("VALIDATION_ERROR");
    }
  });

  it("answers only ops and internal callers", async () => {
    const { a } = await campaigns();
    expect((await listCampaigns("", {})).status).toBe(401);
    expect((await listCampaigns("", { token: a.token })).status).toBe(403);
    expect((await listCampaigns("", await seller(a.businessId))).status).toBe(403);
    expect((await listCampaigns("", await shopper())).status).toBe(403);
    expect((await listCampaigns("")).status).toBe(200);
  });
});

const auditOf = (bookId: string, action: string) =>
  db.select().from(redemptionAudit).where(and(eq(redemptionAudit.bookId, bookId), eq(redemptionAudit.action, action)));

describe("POST /api/internal/promo/campaigns/:id/status", () => {
  it("pauses and resumes, audited with the actor and the reason, and answers the campaign", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3 });
    const who = await ops();

    const paused = await setStatus(book.id, { status: "PAUSED", reason: "leaked on a coupon forum" }, who);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: book.id, status: "PAUSED", pausedBy: `ops:${testUserId("ops-1")}`, resumedAt: null, usage: { codes: { total: 3, available: 3 } } });
    expect(await auditOf(book.id, "PAUSE")).toEqual([
      expect.objectContaining({ actor: `ops:${testUserId("ops-1")}`, previousStatus: "ACTIVE", newStatus: "PAUSED", details: { reason: "leaked on a coupon forum" } }),
    ]);

    const resumed = await setStatus(book.id, { status: "ACTIVE" });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: "ACTIVE", isActive: true, pausedBy: null });
    expect(Date.parse(resumed.body.resumedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await auditOf(book.id, "UNPAUSE")).toEqual([expect.objectContaining({ actor: "internal", previousStatus: "PAUSED", newStatus: "ACTIVE" })]);
  });

  it("never refuses an ops resume because of recent attempts", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, overrides: { status: "PAUSED", pausedBy: "system:guard" } });
    await db.insert(promoAttempts).values(
      Array.from({ length: 500 }, (_, i) => ({
        businessId,
        normalizedCodeHash: `hash-${i % 7}`,
        codePrefix: "T-",
        attributedBookId: book.id,
        userId: `guesser-${i}`,
        result: "INVALID" as const,
        reason: "UNKNOWN_CODE",
      })),
    );
    const res = await setStatus(book.id, { status: "ACTIVE", reason: "runbook checks done" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ACTIVE");
  });

  it("answers 409 for every other transition, 404 for an unknown campaign, 400 for a bad request", async () => {
    const { businessId } = await businessWithKey();
    const active = await activeBook(businessId, { codes: 1 });
    const paused = await activeBook(businessId, { codes: 1, overrides: { status: "PAUSED", pausedBy: "ops:someone" } });
    const draft = await activeBook(businessId, { codes: 1, overrides: { status: "DRAFT" } });
    const archived = await activeBook(businessId, { codes: 0, overrides: { status: "ARCHIVED" } });
    const expired = await activeBook(businessId, { codes: 0, overrides: { status: "EXPIRED" } });
    const lapsedActive = await activeBook(businessId, { codes: 1 });
    const lapsedPaused = await activeBook(businessId, { codes: 1, overrides: { status: "PAUSED" } });
    await db
      .update(couponBooks)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(sql`${couponBooks.id} in (${lapsedActive.id}, ${lapsedPaused.id})`);

    const conflicts: [string, unknown, string][] = [
      [active.id, { status: "ACTIVE" }, "ACTIVE"],
      [paused.id, { status: "PAUSED" }, "PAUSED"],
      [draft.id, { status: "ACTIVE" }, "DRAFT"],
      [draft.id, { status: "PAUSED" }, "DRAFT"],
      [archived.id, { status: "ACTIVE" }, "ARCHIVED"],
      [expired.id, { status: "ACTIVE" }, "EXPIRED"],
      [lapsedActive.id, { status: "PAUSED" }, "EXPIRED"],
      [lapsedPaused.id, { status: "ACTIVE" }, "EXPIRED"],
      [active.id, { status: "ARCHIVED" }, "ACTIVE"],
      [active.id, { status: "DRAFT" }, "ACTIVE"],
      [paused.id, { status: "EXPIRED" }, "PAUSED"],
    ];
    for (const [id, body, status] of conflicts) {
      const res = await setStatus(id, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body).toMatchObject({ code: "INVALID_STATUS_TRANSITION", status });
    }
    expect(await db.select().from(redemptionAudit).where(sql`${redemptionAudit.action} in ('PAUSE', 'UNPAUSE')`)).toEqual([]);

    const unknown = await setStatus("00000000-0000-4000-8000-000000000000", { status: "PAUSED" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("BOOK_NOT_FOUND");
    expect((await setStatus("00000000-0000-4000-8000-000000000000", { status: "ARCHIVED" })).status).toBe(404);

    for (const body of [{}, { status: "LIVE" }, { status: "PAUSED", reason: "" }, { status: "PAUSED", reason: "x".repeat(501) }]) {
      const res = await setStatus(active.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("VALIDATION_ERROR");
    }
    expect((await setStatus("not-a-uuid", { status: "PAUSED" })).status).toBe(400);
  });

  it("answers only ops and internal callers", async () => {
    const owner = await businessWithKey();
    const book = await activeBook(owner.businessId, { codes: 1 });
    expect((await setStatus(book.id, { status: "PAUSED" }, {})).status).toBe(401);
    expect((await setStatus(book.id, { status: "PAUSED" }, { token: owner.token })).status).toBe(403);
    expect((await setStatus(book.id, { status: "PAUSED" }, await seller(owner.businessId))).status).toBe(403);
    expect((await setStatus(book.id, { status: "PAUSED" }, await shopper())).status).toBe(403);
    const [row] = await db.select().from(couponBooks).where(eq(couponBooks.id, book.id));
    expect(row!.status).toBe("ACTIVE");
  });

  it("10 parallel pauses of one campaign: exactly one succeeds and one PAUSE row is written", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2 });
    const results = await parallel(10, (i) => setStatus(book.id, { status: "PAUSED", reason: `pause ${i}` }));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === "INVALID_STATUS_TRANSITION")).toHaveLength(9);
    expect(await auditOf(book.id, "PAUSE")).toHaveLength(1);
  });

  it("a seller cannot resume what ops or the guard paused (403 PAUSED_BY_OPS); ops can", async () => {
    const owner = await businessWithKey();
    const byOps = await activeBook(owner.businessId, { codes: 1 });
    const byGuard = await activeBook(owner.businessId, { codes: 1 });
    expect((await setStatus(byOps.id, { status: "PAUSED" }, await ops())).status).toBe(200);
    await db.transaction((tx) => setCampaignStatus(tx, { kind: "system", name: "guard" }, { ip: null, userAgent: null }, { bookId: byGuard.id, status: "PAUSED" }));

    for (const [book, pausedBy] of [
      [byOps, `ops:${testUserId("ops-1")}`],
      [byGuard, "system:guard"],
    ] as const) {
      for (const who of [{ token: owner.token }, await seller(owner.businessId)]) {
        const res = await patchBook(book.id, { status: "ACTIVE" }, who);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: "PAUSED_BY_OPS", pausedBy });
      }
      expect((await setStatus(book.id, { status: "ACTIVE" })).status).toBe(200);
    }
    // A seller's own pause stays the seller's to undo.
    expect((await patchBook(byOps.id, { status: "PAUSED" }, { token: owner.token })).status).toBe(200);
    expect((await patchBook(byOps.id, { status: "ACTIVE" }, { token: owner.token })).status).toBe(200);
  });

  it("ops take over a seller's pause, so the seller cannot resume the campaign mid-incident", async () => {
    const owner = await businessWithKey();
    const book = await activeBook(owner.businessId, { codes: 1 });
    expect((await patchBook(book.id, { status: "PAUSED" }, { token: owner.token })).status).toBe(200);

    const takeover = await setStatus(book.id, { status: "PAUSED", reason: "incident 42" }, await ops());
    expect(takeover.status).toBe(200);
    expect(takeover.body).toMatchObject({ status: "PAUSED", pausedBy: `ops:${testUserId("ops-1")}` });
    const pauses = await auditOf(book.id, "PAUSE");
    expect(pauses.find((row) => row.actor === `ops:${testUserId("ops-1")}`)).toMatchObject({
      previousStatus: "PAUSED",
      details: { reason: "incident 42", takenOverFrom: expect.stringMatching(/^apiKey:/) },
    });
    expect((await patchBook(book.id, { status: "ACTIVE" }, { token: owner.token })).body.code).toBe("PAUSED_BY_OPS");
    // An operator's pause is not taken over again: pausing it twice is a conflict.
    expect((await setStatus(book.id, { status: "PAUSED" })).status).toBe(409);
  });
});
