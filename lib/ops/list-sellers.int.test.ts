import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { businesses } from "@/db/schema";
import { listSellers, MAX_LISTED_SELLERS } from "./list-sellers";

describe("listSellers", () => {
  it("lists sellers by name, and says when there are more than it lists", async () => {
    expect(await listSellers(db)).toEqual({ sellers: [], truncated: false });

    await db.insert(businesses).values([{ name: "beta" }, { name: "Alpha" }, { name: "gamma" }]);
    const few = await listSellers(db);
    expect(few.truncated).toBe(false);
    expect(few.sellers.map((s) => s.name)).toEqual(["Alpha", "beta", "gamma"]);
    expect(few.sellers[0]).toEqual({ id: expect.any(String), name: "Alpha" });

    await db.insert(businesses).values(Array.from({ length: MAX_LISTED_SELLERS }, (_, i) => ({ name: `seller-${String(i).padStart(4, "0")}` })));
    const many = await listSellers(db);
    expect(many.truncated).toBe(true);
    expect(many.sellers).toHaveLength(MAX_LISTED_SELLERS);
  });
});
