import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { listBookAudit } from "@/lib/coupons/list-book-audit";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { setBookStatusServerAction } from "./set-book-status";

const meta = { ip: null, userAgent: null };
const sellerOf = (businessId: string) => ({ kind: "user", role: "seller", userId: randomUUID(), businessId }) as const satisfies Actor;
const ops = { kind: "user", role: "ops", userId: randomUUID() } as const satisfies Actor;

describe("the book page's status action", () => {
  it("pauses and resumes the seller's own book, audited like the API", async () => {
    const { businessId } = await businessWithKey();
    const seller = sellerOf(businessId);
    const book = await activeBook(businessId, { codes: 2 });
    const paused = await setBookStatusServerAction.run({ actor: seller, meta }, { bookId: book.id, status: "PAUSED" });
    expect(paused).toMatchObject({ ok: true, data: { status: "PAUSED", pausedBy: `seller:${seller.userId}` } });
    const resumed = await setBookStatusServerAction.run({ actor: seller, meta }, { bookId: book.id, status: "ACTIVE" });
    expect(resumed).toMatchObject({ ok: true, data: { status: "ACTIVE", pausedBy: null } });
    const audit = await listBookAudit(db, seller, book.id, { limit: 5, offset: 0 });
    expect(audit.data.map((row) => row.action).slice(0, 2)).toEqual(["UNPAUSE", "PAUSE"]);
  });

  it("answers another business's book as not found, and an ops pause as only ops can resume", async () => {
    const [{ businessId }, other] = await Promise.all([businessWithKey(), businessWithKey()]);
    const book = await activeBook(businessId, { codes: 2 });
    const stranger = await setBookStatusServerAction.run({ actor: sellerOf(other.businessId), meta }, { bookId: book.id, status: "PAUSED" });
    expect(stranger).toMatchObject({ ok: false, code: "BOOK_NOT_FOUND" });

    expect(await setBookStatusServerAction.run({ actor: ops, meta }, { bookId: book.id, status: "PAUSED" })).toMatchObject({ ok: true, data: { pausedBy: `ops:${ops.userId}` } });
    const seller = sellerOf(businessId);
    expect(await setBookStatusServerAction.run({ actor: seller, meta }, { bookId: book.id, status: "ACTIVE" })).toMatchObject({ ok: false, code: "PAUSED_BY_OPS" });
    expect(await setBookStatusServerAction.run({ actor: ops, meta }, { bookId: book.id, status: "ACTIVE" })).toMatchObject({ ok: true, data: { status: "ACTIVE" } });
  });

  it("takes the API's status spelling (CLOSED is ARCHIVED) and refuses anything else with a field error", async () => {
    const { businessId } = await businessWithKey();
    const seller = sellerOf(businessId);
    const book = await activeBook(businessId, { codes: 2 });
    expect(await setBookStatusServerAction.run({ actor: seller, meta }, { bookId: book.id, status: "BOGUS" })).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { status: expect.any(String) } });
    expect(await setBookStatusServerAction.run({ actor: seller, meta }, { bookId: "not-a-uuid", status: "PAUSED" })).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { bookId: expect.any(String) } });
    expect(await setBookStatusServerAction.run({ actor: seller, meta }, { bookId: book.id, status: "CLOSED" })).toMatchObject({ ok: true, data: { status: "ARCHIVED" } });
    expect(await setBookStatusServerAction.run({ actor: seller, meta }, { bookId: book.id, status: "ACTIVE" })).toMatchObject({ ok: false, code: "INVALID_STATUS_TRANSITION" });
  });
});
