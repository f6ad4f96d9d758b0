import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { MemoryWindow } from "./memory-window";

const MINUTE = 60_000;

describe("MemoryWindow", () => {
  it("lets `limit` hits through per window, then refuses until the window slides", () => {
    const window = new MemoryWindow(3, MINUTE);
    const start = 10 * MINUTE; // the start of a window
    expect([1, 2, 3, 4].map(() => window.hit("ana", start).success)).toEqual([true, true, true, false]);
    expect(window.hit("bob", start).success).toBe(true); // per identifier
    // Half-way into the next window half of the previous one still counts: 1 (weighted) + 1 new allowed, then full.
    expect(window.hit("ana", start + 1.5 * MINUTE).success).toBe(true);
    expect(window.hit("ana", start + 1.5 * MINUTE).success).toBe(true);
    expect(window.hit("ana", start + 1.5 * MINUTE)).toEqual({ success: false, reset: start + 2 * MINUTE });
    expect(window.hit("ana", start + 3 * MINUTE).success).toBe(true);
  });

  it("forgets idle identifiers once it holds too many", () => {
    const window = new MemoryWindow(1, MINUTE, 10);
    for (let i = 0; i < 10; i++) window.hit(`old-${i}`, 0);
    expect(window.size).toBe(10);
    window.hit("new", 5 * MINUTE); // the 11th identifier sweeps the idle ten
    expect(window.size).toBe(1);
  });
});

describe("rate limit settings", () => {
  it("default to DESIGN §6: 10 per shopper and 30 per ip a minute, 6,000 per API key", () => {
    const settings = parseEnv({});
    expect([settings.RATE_LIMIT_USER_PER_MINUTE, settings.RATE_LIMIT_IP_PER_MINUTE, settings.RATE_LIMIT_API_KEY_PER_MINUTE]).toEqual([10, 30, 6000]);
    expect(parseEnv({ RATE_LIMIT_USER_PER_MINUTE: "5" }).RATE_LIMIT_USER_PER_MINUTE).toBe(5);
    expect(() => parseEnv({ RATE_LIMIT_IP_PER_MINUTE: "0" })).toThrow(/RATE_LIMIT_IP_PER_MINUTE/);
  });
});
