import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { businesses } from "@/db/schema";

const preparedCount = async (tx: Pick<typeof db, "execute">) => {
  const [row] = (await tx.execute<{ n: number }>(sql`select count(*)::int as n from pg_prepared_statements`)) as unknown as [{ n: number }];
  return row.n;
};

describe("db client", () => {
  it("prepares drizzle's statements with parameters, in transactions too (one round trip once a connection has seen them)", async () => {
    await db.insert(businesses).values({ name: "prepared" });
    await db.transaction(async (tx) => {
      const before = await preparedCount(tx);
      const name = `unlikely-${Date.now()}`;
      for (let i = 0; i < 3; i++) await tx.select({ id: businesses.id }).from(businesses).where(eq(businesses.name, name));
      // The same text is one statement on this connection, not three.
      expect(await preparedCount(tx)).toBe(before + 1);
      const [found] = await tx.select({ name: businesses.name }).from(businesses).where(eq(businesses.name, "prepared"));
      expect(found?.name).toBe("prepared");
    });
  });

  it("leaves bulk statements unnamed: each would live as long as its connection", async () => {
    await db.transaction(async (tx) => {
      const before = await preparedCount(tx);
      const names = Array.from({ length: 300 }, (_, i) => ({ name: `bulk-${i}` }));
      await tx.insert(businesses).values(names);
      expect(await preparedCount(tx)).toBe(before);
    });
  });
});
