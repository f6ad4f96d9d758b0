import { describe, expect, it } from "vitest";
import { TtlCache } from "./ttl-cache";

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("TtlCache", () => {
  it("answers a value until its ttl has passed, then forgets it", () => {
    const time = clock();
    const cache = new TtlCache<number>(10, 30_000, time.now);
    cache.set("a", 1);
    time.advance(29_999);
    expect(cache.get("a")).toBe(1);
    time.advance(1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("a hit does not extend the ttl; a set does", () => {
    const time = clock();
    const cache = new TtlCache<number>(10, 100, time.now);
    cache.set("a", 1);
    time.advance(60);
    expect(cache.get("a")).toBe(1);
    time.advance(40);
    expect(cache.get("a")).toBeUndefined();
    cache.set("a", 2);
    time.advance(99);
    expect(cache.get("a")).toBe(2);
  });

  it("holds at most maxEntries, dropping the least recently used", () => {
    const cache = new TtlCache<number>(2, 1_000, clock().now);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now the most recently used
    cache.set("c", 3);
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
  });

  it("deleteWhere drops the matching entries only", () => {
    const cache = new TtlCache<{ keyId: string }>(10, 1_000, clock().now);
    cache.set("h1", { keyId: "k1" });
    cache.set("h2", { keyId: "k2" });
    cache.set("h3", { keyId: "k1" });
    cache.deleteWhere((v) => v.keyId === "k1");
    expect([cache.get("h1"), cache.get("h2"), cache.get("h3")]).toEqual([undefined, { keyId: "k2" }, undefined]);
  });
});
