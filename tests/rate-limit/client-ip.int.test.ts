import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { POST as assignCodeRoute } from "@/app/api/assignments/[code]/route";
import { businessWithKey } from "@/testing/fixtures";
import { freezeDateMidMinute } from "@/testing/frozen-date";
import { call, sessionCookie } from "@/testing/http";
import { overrideSettings, restoreSettings } from "@/testing/settings";
import { createRateLimiter, replaceRateLimiter } from "@/lib/rate-limit/rate-limiter";

let restore: (() => void) | undefined;
let unfreeze: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
  unfreeze?.();
  unfreeze = undefined;
  restoreSettings();
});

describe("the per-ip limit of shopper code attempts", () => {
  it("behind one proxy, a client rotating the left-most X-Forwarded-For entry still gets 30 a minute, not 36", async () => {
    overrideSettings({ TRUSTED_PROXY_HOPS: "1", VERCEL: undefined });
    restore = replaceRateLimiter(
      createRateLimiter({ redis: null, backend: "memory", perMinute: { user: 1000, ip: 30, apiKey: 6000 }, prefix: `coupons:rl:test:${randomUUID()}`, timeoutMs: 100 }),
    );
    unfreeze = freezeDateMidMinute();
    const { businessId } = await businessWithKey();
    const shopper = await sessionCookie({ uid: "shopper-rotating", role: "shopper" });
    const statuses: number[] = [];
    for (let i = 0; i < 36; i++) {
      const response = await call(assignCodeRoute, {
        path: "/api/assignments/NOPE",
        params: { code: "NOPE" },
        cookie: shopper,
        body: { businessId },
        // What the load balancer forwards: the client's own header, then the address it saw.
        headers: { "x-forwarded-for": `10.${i}.0.1, 203.0.113.${i}, 198.51.100.7` },
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((status) => status !== 429)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429, 429]);
  });
});
