import { describe, expect, it } from "vitest";
import { actorFromSession, actorFromToken } from "./session-actor";

const businessId = "6f1c1f52-3f5e-4c2a-9d7e-0b6f1f0c2a11";
const expires = "2099-01-01T00:00:00.000Z";

describe("session → Actor", () => {
  it("reads a page session and a request's token the same way", () => {
    const seller = { kind: "user", role: "seller", userId: "u1", businessId };
    expect(actorFromSession({ expires, user: { id: "u1", role: "seller", businessId, email: "s@example.com" } })).toEqual(seller);
    expect(actorFromToken({ uid: "u1", role: "seller", businessId })).toEqual(seller);
    expect(actorFromToken({ uid: "u2", role: "ops", businessId: null })).toEqual({ kind: "user", role: "ops", userId: "u2" });
  });

  it("is null when signed out or when the claims are incomplete", () => {
    expect(actorFromSession(null)).toBeNull();
    expect(actorFromToken(null)).toBeNull();
    expect(actorFromToken({ uid: "u1", role: "seller", businessId: null })).toBeNull();
    expect(actorFromSession({ expires, user: { id: "u1" } })).toBeNull();
  });
});
