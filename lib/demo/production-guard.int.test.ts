import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/passwords";
import { overrideSettings, restoreSettings } from "@/testing/settings";
import { productionStartProblems } from "./production-guard";
import { DEMO_USERS, seedDemoData } from "./seed";

const production = { NODE_ENV: "production", AUTH_SECRET: "a-production-auth-secret-0123456789abcdef", CODE_HASH_SECRET: "a-production-code-hash-secret" } as const;

afterEach(restoreSettings);

describe("what a production server refuses to start with", () => {
  it("nothing outside production, and nothing in production with its secrets and no demo accounts", async () => {
    await seedDemoData(db);
    expect(await productionStartProblems(db)).toEqual([]);
    await db.delete(users);
    overrideSettings(production);
    expect(await productionStartProblems(db)).toEqual([]);
  });

  it("each missing secret, named with what to do", async () => {
    overrideSettings({ ...production, AUTH_SECRET: undefined, CODE_HASH_SECRET: undefined });
    const problems = await productionStartProblems(db);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^AUTH_SECRET is unset/);
    expect(problems[1]).toMatch(/^CODE_HASH_SECRET is unset/);
  });

  it("demo accounts that still open with the demo password, unless ALLOW_DEMO_ACCOUNTS=1 or their passwords changed", async () => {
    await seedDemoData(db);
    overrideSettings(production);
    const [problem, ...rest] = await productionStartProblems(db);
    expect(rest).toEqual([]);
    for (const { email } of DEMO_USERS) expect(problem).toContain(email);

    overrideSettings({ ALLOW_DEMO_ACCOUNTS: "1" });
    expect(await productionStartProblems(db)).toEqual([]);

    overrideSettings({ ALLOW_DEMO_ACCOUNTS: undefined });
    const newHash = await hashPassword("a-real-password-nobody-published");
    for (const { email } of DEMO_USERS) await db.update(users).set({ passwordHash: newHash }).where(eq(users.email, email));
    expect(await productionStartProblems(db)).toEqual([]);
  });
});
