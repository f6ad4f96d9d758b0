import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { businesses } from "@/db/schema";
import { forgetRenderedStatements, renderedOnce } from "./rendered-once";

const named = (name: string) => db.insert(businesses).values({ name }).returning({ id: businesses.id });

describe("renderedOnce", () => {
  afterEach(() => forgetRenderedStatements());

  it("renders a statement once and binds each call's values, mapping rows as drizzle does, inside each caller's transaction", async () => {
    const [a] = await named(`once-a-${Date.now()}`);
    const [b] = await named(`once-b-${Date.now()}`);
    const find = (id: string) =>
      db.transaction((tx) =>
        renderedOnce(tx, "test:business", { id }, (v) =>
          tx.select({ id: businesses.id, name: businesses.name, now: sql`now()`.mapWith((value: string) => new Date(value)) }).from(businesses).where(eq(businesses.id, v.id)),
        ),
      );
    const [first] = await find(a!.id);
    const [second] = await find(b!.id);
    expect(first!.id).toBe(a!.id);
    expect(second!.id).toBe(b!.id);
    expect(second!.name).toMatch(/^once-b-/);
    expect(second!.now).toBeInstanceOf(Date);
  });

  it("runs on the caller's transaction: what it reads includes the transaction's own uncommitted writes, and a rollback undoes its writes", async () => {
    const name = `once-tx-${Date.now()}`;
    await expect(
      db.transaction(async (tx) => {
        const [created] = await tx.insert(businesses).values({ name }).returning({ id: businesses.id });
        const [seen] = await renderedOnce(tx, "test:business-by-id", { id: created!.id }, (v) => tx.select({ name: businesses.name }).from(businesses).where(eq(businesses.id, v.id)));
        expect(seen?.name).toBe(name);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.select().from(businesses).where(eq(businesses.name, name))).toHaveLength(0);
  });

  it("under test, fails a call whose build froze a value into the cached text instead of binding it", async () => {
    const [a] = await named(`once-frozen-a-${Date.now()}`);
    const [b] = await named(`once-frozen-b-${Date.now()}`);
    const find = (id: string) => renderedOnce(db, "test:frozen", { id }, () => db.select({ id: businesses.id }).from(businesses).where(eq(businesses.id, id)));
    await find(a!.id);
    await expect(find(b!.id)).rejects.toThrow(/differs from this call's own rendering.*\n.*\n.*\nparameters that differ: \$1/);
  });

  it("under test, fails a call whose shape the key does not name", async () => {
    const find = (withName: boolean) =>
      renderedOnce(db, "test:shape", { id: "00000000-0000-0000-0000-000000000000", name: "x" }, (v) =>
        db
          .select({ id: businesses.id })
          .from(businesses)
          .where(withName ? eq(businesses.name, v.name) : eq(businesses.id, v.id)),
      );
    await find(true);
    await expect(find(false)).rejects.toThrow(/differs from this call's own rendering/);
  });
});
