import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { businesses } from "@/db/schema";
import { listBusinesses, MAX_LISTED_BUSINESSES } from "./list-businesses";

describe("listBusinesses", () => {
  it("lists the businesses by name, with the total", async () => {
    await db.insert(businesses).values([{ name: "Zeta goods" }, { name: "Alpha outfitters" }, { name: "Mid market" }]);
    const list = await listBusinesses(db);
    expect(list.data.map((b) => b.name)).toEqual(["Alpha outfitters", "Mid market", "Zeta goods"]);
    expect(list.total).toBe(3);
    expect(list.data[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("past the cut, still includes the businesses it is asked for, and says how many exist", async () => {
    const names = Array.from({ length: MAX_LISTED_BUSINESSES + 2 }, (_, i) => `biz-${String(i).padStart(4, "0")}`);
    const rows = await db.insert(businesses).values(names.map((name) => ({ name }))).returning({ id: businesses.id, name: businesses.name });
    const last = rows.find((b) => b.name === names.at(-1))!;

    const cut = await listBusinesses(db);
    expect(cut.data).toHaveLength(MAX_LISTED_BUSINESSES);
    expect(cut.total).toBe(MAX_LISTED_BUSINESSES + 2);
    expect(cut.data.some((b) => b.id === last.id)).toBe(false);

    const withLast = await listBusinesses(db, { include: [last.id, last.id, cut.data[0]!.id] });
    expect(withLast.data).toHaveLength(MAX_LISTED_BUSINESSES + 1);
    expect(withLast.data.at(-1)).toEqual(last);
  });
});
