import { afterEach, describe, expect, it } from "vitest";
import { overrideSettings, restoreSettings } from "@/testing/settings";
import { clientIp, requestMeta } from "./request-meta";

afterEach(restoreSettings);

const ipOf = (headers: Record<string, string>) => clientIp(new Headers(headers));

describe("clientIp", () => {
  it("with no trusted proxy (the default), believes no header: the ip is unknown", () => {
    overrideSettings({ TRUSTED_PROXY_HOPS: undefined, VERCEL: undefined });
    expect(ipOf({ "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8" })).toBeNull();
    expect(requestMeta(new Request("http://localhost/", { headers: { "user-agent": "ua/1" } }))).toEqual({ ip: null, userAgent: "ua/1" });
  });

  it("behind one proxy takes the entry it appended (the right-most), whatever the client put left of it", () => {
    overrideSettings({ TRUSTED_PROXY_HOPS: "1", VERCEL: undefined });
    expect(ipOf({ "x-forwarded-for": "198.51.100.7" })).toBe("198.51.100.7");
    expect(ipOf({ "x-forwarded-for": "1.1.1.1, 2.2.2.2, 198.51.100.7" })).toBe("198.51.100.7");
    expect(ipOf({ "x-forwarded-for": "198.51.100.7:51234" })).toBe("198.51.100.7");
    expect(ipOf({ "x-forwarded-for": "[2001:db8::7]:443" })).toBe("2001:db8::7");
    expect(ipOf({ "x-real-ip": "198.51.100.8" })).toBeNull(); // only X-Forwarded-For is appended by the proxies
    expect(ipOf({ "x-forwarded-for": "1.1.1.1, not-an-ip" })).toBeNull();
  });

  it("behind two proxies takes the second entry from the right; with fewer entries, the left-most (written by our proxy)", () => {
    overrideSettings({ TRUSTED_PROXY_HOPS: "2", VERCEL: undefined });
    expect(ipOf({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2" })).toBe("198.51.100.7");
    expect(ipOf({ "x-forwarded-for": "198.51.100.7, 10.0.0.2" })).toBe("198.51.100.7");
    expect(ipOf({ "x-forwarded-for": "198.51.100.9" })).toBe("198.51.100.9");
    expect(ipOf({})).toBeNull();
  });

  it("on Vercel reads the headers Vercel sets, not X-Forwarded-For's hops", () => {
    overrideSettings({ TRUSTED_PROXY_HOPS: "3", VERCEL: "1" });
    expect(ipOf({ "x-vercel-forwarded-for": "198.51.100.7", "x-forwarded-for": "6.6.6.6, 7.7.7.7, 8.8.8.8, 9.9.9.9" })).toBe("198.51.100.7");
    expect(ipOf({ "x-real-ip": "198.51.100.8", "x-forwarded-for": "6.6.6.6" })).toBe("198.51.100.8");
  });
});
