import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as listBooks, POST as createBook } from "@/app/api/coupon-books/route";
import { db } from "@/db/client";
import { couponBooks, users } from "@/db/schema";
import { encode } from "next-auth/jwt";
import { SESSION_COOKIE } from "@/lib/auth/resolve-actor";
import { authenticateUser, revokeSessions, setUserPassword, setUserRole } from "@/lib/auth/users";
import { authSecret } from "@/lib/env";
import { businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie, testUserId } from "@/testing/http";

const list = (cookie: string) => call(listBooks, { path: "/api/coupon-books", cookie });
const emailOf = (label: string) => `${testUserId(label)}@session.test`;

describe("sessions are checked against the user on every request", () => {
  it("a valid cookie works", async () => {
    const { businessId } = await businessWithKey();
    const cookie = await sessionCookie({ uid: "seller-1", role: "seller", businessId });
    expect((await list(cookie)).status).toBe(200);
  });

  it("a demoted seller's old cookie is refused; one for the new role works", async () => {
    const { businessId } = await businessWithKey();
    const cookie = await sessionCookie({ uid: "seller-1", role: "seller", businessId });
    expect(await setUserRole(db, emailOf("seller-1"), "shopper", null)).toBe(true);
    expect((await list(cookie)).status).toBe(401);
    // The same role and business but an old version: the bump alone revokes it.
    const again = await sessionCookie({ uid: "seller-2", role: "seller", businessId });
    expect((await list(again)).status).toBe(200);
    expect(await setUserRole(db, emailOf("seller-2"), "seller", businessId)).toBe(true);
    expect((await list(again)).status).toBe(401);
    const shopper = await sessionCookie({ uid: "seller-1", role: "shopper" });
    expect((await list(shopper)).status).toBe(403);
  });

  it("a seller moved to another business loses the old one", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    const cookie = await sessionCookie({ uid: "seller-1", role: "seller", businessId: a.businessId });
    // Without a version bump (a direct database edit): the business itself must match.
    await db.update(users).set({ businessId: b.businessId }).where(eq(users.id, testUserId("seller-1")));
    expect((await list(cookie)).status).toBe(401);
  });

  it("a deleted user's cookie is refused, and so is one for a user that never existed", async () => {
    const cookie = await sessionCookie({ uid: "ops-1", role: "ops" });
    expect((await list(cookie)).status).toBe(200);
    await db.delete(users).where(eq(users.id, testUserId("ops-1")));
    expect((await list(cookie)).status).toBe(401);
    expect((await list(await sessionCookie({ uid: "ghost", role: "ops", skipUser: true }))).status).toBe(401);
  });

  it("a signed-out cookie is refused everywhere; a stale version never worked", async () => {
    const cookie = await sessionCookie({ uid: "ops-1", role: "ops" });
    const otherTab = await sessionCookie({ uid: "ops-1", role: "ops" });
    expect(await revokeSessions(db, testUserId("ops-1"))).toBe(true);
    expect((await list(cookie)).status).toBe(401);
    expect((await list(otherTab)).status).toBe(401);
    expect((await list(await sessionCookie({ uid: "ops-1", role: "ops" }))).status).toBe(200);
    expect((await list(await sessionCookie({ uid: "ops-1", role: "ops", sessionVersion: 0 }))).status).toBe(401);
  });

  it("a password change kills the old cookies and signs in with the new password only", async () => {
    const cookie = await sessionCookie({ uid: "ops-1", role: "ops" });
    expect(await setUserPassword(db, emailOf("ops-1"), "a-new-long-password")).toBe(true);
    expect((await list(cookie)).status).toBe(401);
    const signedIn = await authenticateUser(db, emailOf("ops-1"), "a-new-long-password");
    expect(signedIn?.sessionVersion).toBe(1);
    expect(await setUserPassword(db, "nobody@example.com", "x-long-password")).toBe(false);
  });

  it("a cookie signed before session versions existed (no version claim) is refused", async () => {
    expect((await list(await sessionCookie({ uid: "ops-1", role: "ops" }))).status).toBe(200);
    const uid = testUserId("ops-1");
    const token = await encode({ token: { sub: uid, uid, role: "ops" }, secret: authSecret(), salt: SESSION_COOKIE });
    expect((await list(`${SESSION_COOKIE}=${token}`)).status).toBe(401);
  });
});

describe("cross-site writes with a session cookie", () => {
  it("the issue's case: a seller cookie, Origin http://evil.example, text/plain → 403 and nothing created", async () => {
    const { businessId } = await businessWithKey();
    const cookie = await sessionCookie({ uid: "seller-1", role: "seller", businessId });
    const body = JSON.stringify({ name: "Planted" });
    const headers = { origin: "http://evil.example", "content-type": "text/plain" };
    const res = await call(createBook, { path: "/api/coupon-books", cookie, headers, body });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "FORBIDDEN", error: expect.any(String) });
    expect(await db.select().from(couponBooks)).toHaveLength(0);
  });

  it("refuses a foreign Referer or Sec-Fetch-Site: cross-site when Origin is missing, and the null origin", async () => {
    const { businessId } = await businessWithKey();
    const cookie = await sessionCookie({ uid: "seller-1", role: "seller", businessId });
    const variants: Record<string, string>[] = [{ "sec-fetch-site": "cross-site" }, { referer: "https://evil.example/page" }, { origin: "null" }, { origin: "http://localhost.evil.example" }];
    for (const headers of variants) {
      const res = await call(createBook, { path: "/api/coupon-books", cookie, headers, body: { name: "Planted" } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await db.select().from(couponBooks)).toHaveLength(0);
  });

  it("same-origin requests work, and so do API keys from anywhere", async () => {
    const { businessId, token } = await businessWithKey();
    const cookie = await sessionCookie({ uid: "seller-1", role: "seller", businessId });
    const sameOrigin = { origin: "http://localhost", "sec-fetch-site": "same-origin" };
    expect((await call(createBook, { path: "/api/coupon-books", cookie, headers: sameOrigin, body: { name: "Mine" } })).status).toBe(201);
    expect((await call(createBook, { path: "/api/coupon-books", cookie, headers: { referer: "http://localhost/seller" }, body: { name: "Mine 2" } })).status).toBe(201);
    // No browser header at all: not a browser's request (curl holding the cookie).
    expect((await call(createBook, { path: "/api/coupon-books", cookie, body: { name: "Mine 3" } })).status).toBe(201);
    const evil = { origin: "http://evil.example" };
    expect((await call(createBook, { path: "/api/coupon-books", token, headers: evil, body: { name: "By key" } })).status).toBe(201);
    // Reads change nothing: a cross-site GET is not refused (CORS keeps its answer from the other site).
    expect((await call(listBooks, { path: "/api/coupon-books", cookie, headers: evil })).status).toBe(200);
  });
});
