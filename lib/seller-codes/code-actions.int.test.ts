import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { listConsoleCodes } from "@/lib/coupons/list-codes";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { db } from "@/db/client";
import { assignCodeServerAction, assignRandomCodeServerAction, disableCodesServerAction, enableCodesServerAction } from "./code-actions";

const meta = { ip: null, userAgent: null };
const sellerOf = (businessId: string) => ({ kind: "user", role: "seller", userId: randomUUID(), businessId }) as const satisfies Actor;

describe("the codes table's actions", () => {
  it("disable and enable selected codes of the seller's own book, with the service's counts", async () => {
    const { businessId } = await businessWithKey();
    const seller = sellerOf(businessId);
    const book = await activeBook(businessId, { codes: 3 });
    const { data } = await listConsoleCodes(db, seller, book.id, { limit: 10, offset: 0 });
    const two = data.slice(0, 2).map((row) => row.code.toLowerCase());
    expect(await disableCodesServerAction.run({ actor: seller, meta }, { bookId: book.id, codes: [...two, "NOPE-1"] })).toMatchObject({
      ok: true,
      data: { updated: 2, unchanged: 0, notFound: { count: 1 } },
    });
    expect((await listConsoleCodes(db, seller, book.id, { status: "DISABLED", limit: 10, offset: 0 })).data).toHaveLength(2);
    expect(await enableCodesServerAction.run({ actor: seller, meta }, { bookId: book.id, codes: two })).toMatchObject({ ok: true, data: { updated: 2 } });
    expect(await disableCodesServerAction.run({ actor: seller, meta }, { bookId: book.id, codes: [] })).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(await disableCodesServerAction.run({ actor: seller, meta }, { bookId: book.id, all: true })).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
  });

  it("assigns a random or a named code to a user the seller names, with the API's refusals", async () => {
    const { businessId } = await businessWithKey();
    const seller = sellerOf(businessId);
    const book = await activeBook(businessId, { codes: 3, overrides: { maxCodesPerUser: 1 } });
    const random = await assignRandomCodeServerAction.run({ actor: seller, meta }, { couponBookId: book.id, userId: "shopper-a" });
    expect(random).toMatchObject({ ok: true });
    const again = await assignRandomCodeServerAction.run({ actor: seller, meta }, { couponBookId: book.id, userId: "shopper-a" });
    expect(again).toMatchObject({ ok: false, code: "MAX_CODES_PER_USER_REACHED" });

    const rows = (await listConsoleCodes(db, seller, book.id, { limit: 10, offset: 0 })).data;
    const held = rows.find((row) => row.status === "ASSIGNED")!;
    expect(held.holder).toBe("shopper-a");
    const free = rows.find((row) => row.status === "AVAILABLE")!;
    expect(await assignCodeServerAction.run({ actor: seller, meta }, { bookId: book.id, code: held.code, userId: "shopper-b" })).toMatchObject({ ok: false, code: "COUPON_ALREADY_ASSIGNED" });
    expect(await assignCodeServerAction.run({ actor: seller, meta }, { bookId: book.id, code: ` ${free.code.toLowerCase()} `, userId: "shopper-b" })).toMatchObject({ ok: true });
    expect(await assignCodeServerAction.run({ actor: seller, meta }, { bookId: book.id, code: free.code, userId: "" })).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { userId: expect.any(String) } });
  });

  it("answers another business's book as not found and changes nothing there", async () => {
    const [{ businessId }, other] = await Promise.all([businessWithKey(), businessWithKey()]);
    const book = await activeBook(businessId, { codes: 2 });
    const owner = sellerOf(businessId);
    const stranger = sellerOf(other.businessId);
    const code = (await listConsoleCodes(db, owner, book.id, { limit: 1, offset: 0 })).data[0]!.code;
    expect(await disableCodesServerAction.run({ actor: stranger, meta }, { bookId: book.id, codes: [code] })).toMatchObject({ ok: false, code: "BOOK_NOT_FOUND" });
    expect(await assignCodeServerAction.run({ actor: stranger, meta }, { bookId: book.id, code, userId: "x" })).toMatchObject({ ok: false, code: "BOOK_NOT_FOUND" });
    expect(await assignRandomCodeServerAction.run({ actor: stranger, meta }, { couponBookId: book.id, userId: "x" })).toMatchObject({ ok: false, code: "BOOK_NOT_FOUND" });
    expect((await listConsoleCodes(db, owner, book.id, { status: "AVAILABLE", limit: 5, offset: 0 })).data).toHaveLength(2);
  });
});
