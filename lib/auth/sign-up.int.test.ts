import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { businesses, users } from "@/db/schema";
import { captureLogs } from "@/lib/log";
import { SIGN_UP_CLOSED_MESSAGE, SIGNED_IN_MESSAGE, signUpSellerRequest, type SignUpCaller } from "@/lib/onboarding/sign-up-seller-request";
import { createRateLimiter, replaceRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { overrideSettings, restoreSettings } from "@/testing/settings";
import { SIGN_UP_MESSAGES } from "./schemas";
import { signUpSeller } from "./sign-up";
import { authenticateUser } from "./users";

const meta = { ip: "203.0.113.9", userAgent: "vitest" };
const input = (over: Partial<{ email: string; password: string; businessName: string }> = {}) => ({
  email: "owner@acme.test",
  password: "correct horse battery",
  businessName: "Acme",
  ...over,
});

/** The action's caller, signed out unless told otherwise; records the sign-ins it was asked for. */
function caller(over: Partial<SignUpCaller> = {}) {
  const signIns: { email: string; password: string }[] = [];
  const value: SignUpCaller = {
    actor: null,
    meta,
    signIn: async (credentials) => {
      signIns.push(credentials);
    },
    ...over,
  };
  return { value, signIns };
}

let restoreLimiter: (() => void) | undefined;
/** A fresh in-process limiter, so counts of other tests and of Redis stay out of this one. */
function limiter(signUpPer10Minutes: number) {
  restoreLimiter = replaceRateLimiter(
    createRateLimiter({ redis: null, backend: "memory", perMinute: { user: 1000, ip: 1000, apiKey: 1000 }, signUpPer10Minutes, prefix: "unused", timeoutMs: 100 }),
  );
}

afterEach(() => {
  restoreLimiter?.();
  restoreLimiter = undefined;
  restoreSettings();
});

describe("signUpSeller", () => {
  it("creates the business and its seller, who can then sign in; logs no email in clear", async () => {
    const logs = captureLogs();
    const created = await signUpSeller(db, input(), meta).finally(logs.stop);
    const [business] = await db.select().from(businesses).where(eq(businesses.id, created.businessId));
    expect(business?.name).toBe("Acme");
    const user = await authenticateUser(db, "owner@acme.test", "correct horse battery");
    expect(user).toMatchObject({ id: created.userId, role: "seller", businessId: created.businessId, sessionVersion: 0 });
    expect(await authenticateUser(db, "owner@acme.test", "wrong password!")).toBeNull();
    const line = logs.lines.find((l) => l.includes("auth.seller_signed_up"));
    expect(line).toBeDefined();
    expect(line).not.toContain("owner@acme.test");
    expect(line).not.toContain("203.0.113.9");
    expect(line).not.toContain("correct horse");
  });

  it("a taken email or business name is a field error, and nothing is left behind", async () => {
    await signUpSeller(db, input(), meta);
    await expect(signUpSeller(db, input({ businessName: "Other" }), meta)).rejects.toMatchObject({
      code: "CONFLICT",
      context: { fields: { email: SIGN_UP_MESSAGES.emailTaken } },
    });
    // The refused sign-up's business was rolled back: the name is still free.
    expect(await db.select().from(businesses).where(eq(businesses.name, "Other"))).toHaveLength(0);
    await expect(signUpSeller(db, input({ email: "else@acme.test" }), meta)).rejects.toMatchObject({
      context: { fields: { businessName: SIGN_UP_MESSAGES.businessNameTaken } },
    });
    await expect(signUpSeller(db, input(), meta)).rejects.toMatchObject({
      context: { fields: { businessName: SIGN_UP_MESSAGES.businessNameTaken, email: SIGN_UP_MESSAGES.emailTaken } },
    });
    expect(await db.select().from(users)).toHaveLength(1);
  });

  it("parallel sign-ups with one email: one wins, the others get the field error, none a 500", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => signUpSeller(db, input({ businessName: `Racer ${i}` }), meta)),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected")) {
      expect(a.reason).toMatchObject({ code: "CONFLICT", context: { fields: { email: SIGN_UP_MESSAGES.emailTaken } } });
    }
    expect(await db.select().from(users)).toHaveLength(1);
    expect(await db.select().from(businesses)).toHaveLength(1);
  });

  it("parallel sign-ups with one business name: one wins", async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => signUpSeller(db, input({ email: `racer${i}@acme.test` }), meta)));
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected")) {
      expect(a.reason).toMatchObject({ context: { fields: { businessName: SIGN_UP_MESSAGES.businessNameTaken } } });
    }
  });
});

describe("the sign-up action's body (signUpSellerRequest)", () => {
  it("normalizes the input, creates the seller and signs them in", async () => {
    limiter(5);
    const { value, signIns } = caller();
    await signUpSellerRequest(db, value, input({ email: "  Owner@ACME.test ", businessName: "  Acme  " }));
    expect(signIns).toEqual([{ email: "owner@acme.test", password: "correct horse battery" }]);
    const [user] = await db.select().from(users).where(eq(users.email, "owner@acme.test"));
    expect(user?.role).toBe("seller");
  });

  it("answers field errors for bad input and for a taken email, never throws", async () => {
    limiter(5);
    const bad = await signUpSellerRequest(db, caller().value, { email: "nope", password: "12345", businessName: "A" });
    expect(bad).toEqual({
      ok: false,
      fieldErrors: { email: SIGN_UP_MESSAGES.emailInvalid, password: SIGN_UP_MESSAGES.passwordTooShort, businessName: SIGN_UP_MESSAGES.businessNameTooShort },
    });
    expect(await signUpSellerRequest(db, caller().value, "not an object")).toMatchObject({ ok: false, formError: expect.any(String) });
    await signUpSellerRequest(db, caller().value, input());
    expect(await signUpSellerRequest(db, caller().value, input({ businessName: "Other" }))).toEqual({ ok: false, fieldErrors: { email: SIGN_UP_MESSAGES.emailTaken } });
  });

  it("is refused when SELLER_SIGNUP is closed, and closed is the production default", async () => {
    limiter(5);
    overrideSettings({ SELLER_SIGNUP: "closed" });
    const { value, signIns } = caller();
    expect(await signUpSellerRequest(db, value, input())).toEqual({ ok: false, fieldErrors: {}, formError: SIGN_UP_CLOSED_MESSAGE });
    overrideSettings({ SELLER_SIGNUP: undefined, NODE_ENV: "production" });
    expect(await signUpSellerRequest(db, value, input())).toMatchObject({ formError: SIGN_UP_CLOSED_MESSAGE });
    overrideSettings({ SELLER_SIGNUP: "open", NODE_ENV: "test" });
    expect(await signUpSellerRequest(db, value, input())).toEqual({ ok: false, fieldErrors: {}, formError: expect.stringContaining("created") });
    expect(signIns).toHaveLength(1);
  });

  it("refuses a signed-in caller of any role", async () => {
    limiter(5);
    for (const actor of [
      { kind: "user", role: "shopper", userId: "u" },
      { kind: "user", role: "ops", userId: "u" },
      { kind: "user", role: "seller", userId: "u", businessId: "b" },
    ] as const) {
      expect(await signUpSellerRequest(db, caller({ actor }).value, input())).toMatchObject({ formError: SIGNED_IN_MESSAGE });
    }
    expect(await db.select().from(users)).toHaveLength(0);
  });

  it("limits attempts per ip and per email (RATE_LIMIT_SIGNUP_PER_10_MIN)", async () => {
    limiter(3);
    // One ip, different emails: the 4th attempt is refused before anything is created.
    for (let i = 0; i < 3; i++) await signUpSellerRequest(db, caller().value, input({ email: `s${i}@acme.test`, businessName: `Shop ${i}` }));
    const limited = await signUpSellerRequest(db, caller().value, input({ email: "s3@acme.test", businessName: "Shop 3" }));
    expect(limited).toEqual({ ok: false, fieldErrors: {}, formError: expect.stringMatching(/^Too many sign-up attempts/) });
    expect(await db.select().from(users).where(eq(users.email, "s3@acme.test"))).toHaveLength(0);
    // One email from rotating ips (probing whether it is registered): limited too.
    const probe = (i: number) => signUpSellerRequest(db, caller({ meta: { ip: `198.51.100.${i}`, userAgent: null } }).value, input({ email: "probe@acme.test", businessName: `Probe ${i}` }));
    for (let i = 0; i < 3; i++) await probe(i);
    expect(await probe(3)).toMatchObject({ formError: expect.stringMatching(/^Too many sign-up attempts/) });
  });
});
