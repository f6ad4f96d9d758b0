import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponBooks, couponCodes, redemptionAudit } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { captureLogs } from "@/lib/log";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { disableCampaignCodesServerAction, enableCampaignCodesServerAction, pauseCampaignServerAction, unpauseCampaignServerAction } from "./campaign-actions";

const OPS: Actor = { kind: "user", role: "ops", userId: randomUUID() };
const META = { ip: "203.0.113.9", userAgent: "vitest" };
const asOps = { actor: OPS, meta: META };
const ALL_TICKED = { metadataVerified: true, burstOver: true, monitoringPlanned: true };

async function latestAudit(bookId: string) {
  const [row] = await db.select().from(redemptionAudit).where(eq(redemptionAudit.bookId, bookId)).orderBy(desc(redemptionAudit.at), desc(redemptionAudit.id)).limit(1);
  return row!;
}

const bookRow = async (id: string) => (await db.select().from(couponBooks).where(eq(couponBooks.id, id)))[0]!;

describe("the ops campaign actions", () => {
  it("pause needs a reason; ops pause is audited as the operator and the book records who paused", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });

    const missing = await pauseCampaignServerAction.run(asOps, { campaignId: book.id, status: "PAUSED", reason: "   " });
    expect(missing).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { reason: expect.stringMatching(/reason/i) } });
    expect((await bookRow(book.id)).status).toBe("ACTIVE");

    const paused = await pauseCampaignServerAction.run(asOps, { campaignId: book.id, status: "PAUSED", reason: "  burst of guesses  " });
    expect(paused).toMatchObject({ ok: true, data: { id: book.id, status: "PAUSED", pausedBy: `ops:${(OPS as { userId: string }).userId}` } });
    expect(await latestAudit(book.id)).toMatchObject({
      action: "PAUSE",
      actor: `ops:${(OPS as { userId: string }).userId}`,
      previousStatus: "ACTIVE",
      newStatus: "PAUSED",
      details: { reason: "burst of guesses" },
      ip: META.ip,
    });
  });

  it("a refused change comes back as data (an expired campaign: 409's code), never a throw", async () => {
    const { businessId } = await businessWithKey();
    const lapsed = await activeBook(businessId, { codes: 1, overrides: { expiresAt: new Date(Date.now() - 60_000) } });
    const refused = await pauseCampaignServerAction.run(asOps, { campaignId: lapsed.id, status: "PAUSED", reason: "contain" });
    expect(refused).toMatchObject({ ok: false, code: "INVALID_STATUS_TRANSITION", error: expect.stringMatching(/EXPIRED/) });

    const unknown = await pauseCampaignServerAction.run(asOps, { campaignId: randomUUID(), status: "PAUSED", reason: "contain" });
    expect(unknown).toMatchObject({ ok: false, code: "BOOK_NOT_FOUND" });
  });

  it("the unpause needs every check of the runbook and a reason, then resumes the campaign, audited as the operator", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: { status: "PAUSED", pausedBy: "system:guard" } });

    const unticked = await unpauseCampaignServerAction.run(asOps, { campaignId: book.id, status: "ACTIVE", reason: "clean", checklist: { ...ALL_TICKED, burstOver: false } });
    expect(unticked).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { "checklist.burstOver": expect.any(String) } });
    const noChecklist = await unpauseCampaignServerAction.run(asOps, { campaignId: book.id, status: "ACTIVE", reason: "clean" });
    expect(noChecklist).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    // The schema fixes the direction: this action never pauses.
    const wrongWay = await unpauseCampaignServerAction.run(asOps, { campaignId: book.id, status: "PAUSED", reason: "clean", checklist: ALL_TICKED });
    expect(wrongWay).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { status: expect.any(String) } });
    expect((await bookRow(book.id)).status).toBe("PAUSED");

    const resumed = await unpauseCampaignServerAction.run(asOps, { campaignId: book.id, status: "ACTIVE", reason: "false positive: typo cluster", checklist: ALL_TICKED });
    expect(resumed).toMatchObject({ ok: true, data: { status: "ACTIVE", pausedBy: null } });
    expect(await latestAudit(book.id)).toMatchObject({ action: "UNPAUSE", actor: `ops:${(OPS as { userId: string }).userId}`, details: { reason: "false positive: typo cluster" } });

    // A second click finds it ACTIVE: the compare-and-set refuses, as data.
    const again = await unpauseCampaignServerAction.run(asOps, { campaignId: book.id, status: "ACTIVE", reason: "again", checklist: ALL_TICKED });
    expect(again).toMatchObject({ ok: false, code: "INVALID_STATUS_TRANSITION" });
  });

  it("disables pasted codes and enables the whole book, answering the API's counts, audited as the operator, with no code in the logs", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, pattern: "OPSX-{XXXXXXXX}" });
    const codes = (await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, book.id))).map((c) => c.code);

    const logs = captureLogs();
    try {
      // Pasted as typed: lower case, spaces; one unknown entry at position 1.
      const disabled = await disableCampaignCodesServerAction.run(asOps, { campaignId: book.id, codes: [` ${codes[0]!.toLowerCase()} `, "OPSX-NOPE0000"], reason: "leaked on a forum" });
      expect(disabled).toEqual({ ok: true, data: { updated: 1, unchanged: 0, notFound: { count: 1, positions: [1] } } });
      const enabled = await enableCampaignCodesServerAction.run(asOps, { campaignId: book.id, all: true, reason: "rotated" });
      expect(enabled).toEqual({ ok: true, data: { updated: 1, unchanged: 2, notFound: { count: 0 } } });
    } finally {
      logs.stop();
    }
    expect(logs.lines.join("\n")).not.toContain(codes[0]!);
    expect(logs.lines.join("\n")).not.toContain("OPSX-NOPE0000");

    const audit = await db
      .select()
      .from(redemptionAudit)
      .where(and(eq(redemptionAudit.bookId, book.id), eq(redemptionAudit.action, "DISABLE_CODES")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: `ops:${(OPS as { userId: string }).userId}`, details: { listed: 2, updated: 1, notFound: 1, reason: "leaked on a forum" } });
    const statuses = await db.select({ status: couponCodes.status }).from(couponCodes).where(eq(couponCodes.bookId, book.id));
    expect(statuses.every((s) => s.status === "AVAILABLE")).toBe(true);
  });

  it("the codes input is the API's: a list or all, at most 1000 codes, and a reason here", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });
    const run = (input: Record<string, unknown>) => disableCampaignCodesServerAction.run(asOps, { campaignId: book.id, reason: "r", ...input });

    expect(await run({ codes: Array.from({ length: 1001 }, (_, i) => `C-${i}`) })).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { codes: expect.any(String) } });
    expect(await run({ codes: ["A-1"], all: true })).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { codes: expect.stringMatching(/either/) } });
    expect(await run({})).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(await disableCampaignCodesServerAction.run(asOps, { campaignId: book.id, all: true })).toMatchObject({ ok: false, fieldErrors: { reason: expect.any(String) } });
    expect(await run({ codes: Array.from({ length: 1000 }, (_, i) => `C-${i}`) })).toMatchObject({ ok: true, data: { notFound: { count: 1000 } } });
  });

  it("sellers, shoppers and anonymous callers are refused before anything runs", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });
    const seller: Actor = { kind: "user", role: "seller", userId: randomUUID(), businessId };
    const shopper: Actor = { kind: "user", role: "shopper", userId: randomUUID() };
    const input = { campaignId: book.id, status: "PAUSED", reason: "not yours" };

    expect(await pauseCampaignServerAction.run({ actor: seller, meta: META }, input)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await pauseCampaignServerAction.run({ actor: shopper, meta: META }, input)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await pauseCampaignServerAction.run({ actor: null, meta: META }, input)).toMatchObject({ ok: false, code: "UNAUTHORIZED" });
    expect(await disableCampaignCodesServerAction.run({ actor: seller, meta: META }, { campaignId: book.id, all: true, reason: "x" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect((await bookRow(book.id)).status).toBe("ACTIVE");
  });
});
