import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { allowedTransitions, transitionRefusal, type TransitionBook } from "./book-transitions";

const seller: Actor = { kind: "user", role: "seller", userId: "u-1", businessId: "b-1" };
const ops: Actor = { kind: "user", role: "ops", userId: "u-2" };
const book = (overrides: Partial<TransitionBook>): TransitionBook => ({ status: "ACTIVE", codeKind: "UNIQUE", generatedCount: 10, pausedBy: null, ...overrides });

describe("allowedTransitions", () => {
  it("follows the book state machine", () => {
    expect(allowedTransitions(seller, book({ status: "DRAFT" }))).toEqual(["ACTIVE", "ARCHIVED"]);
    expect(allowedTransitions(seller, book({ status: "ACTIVE" }))).toEqual(["PAUSED", "ARCHIVED"]);
    expect(allowedTransitions(seller, book({ status: "PAUSED", pausedBy: "seller:u-1" }))).toEqual(["ACTIVE", "ARCHIVED"]);
    expect(allowedTransitions(seller, book({ status: "EXPIRED" }))).toEqual(["ARCHIVED"]);
    expect(allowedTransitions(seller, book({ status: "ARCHIVED" }))).toEqual([]);
  });

  it("keeps a UNIQUE book without codes in DRAFT, but not a GENERIC one", () => {
    expect(allowedTransitions(seller, book({ status: "DRAFT", generatedCount: 0 }))).toEqual(["ARCHIVED"]);
    expect(allowedTransitions(seller, book({ status: "DRAFT", codeKind: "GENERIC", generatedCount: 0 }))).toEqual(["ACTIVE", "ARCHIVED"]);
  });

  it("lets only ops resume a book paused by ops or the guard", () => {
    for (const pausedBy of ["ops:u-2", "system:guard"]) {
      expect(allowedTransitions(seller, book({ status: "PAUSED", pausedBy }))).toEqual(["ARCHIVED"]);
      expect(transitionRefusal(seller, book({ status: "PAUSED", pausedBy }), "ACTIVE")?.code).toBe("PAUSED_BY_OPS");
      expect(allowedTransitions(ops, book({ status: "PAUSED", pausedBy }))).toEqual(["ACTIVE", "ARCHIVED"]);
    }
  });

  it("names the refusal the API answers", () => {
    expect(transitionRefusal(seller, book({ status: "ARCHIVED" }), "ACTIVE")?.code).toBe("INVALID_STATUS_TRANSITION");
    expect(transitionRefusal(seller, book({ status: "DRAFT", generatedCount: 0 }), "ACTIVE")?.code).toBe("NO_CODES");
    expect(transitionRefusal(seller, book({ status: "ACTIVE" }), "PAUSED")).toBeNull();
  });
});
