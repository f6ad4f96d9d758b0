import { afterEach, describe, expect, it } from "vitest";
import { overrideSettings, restoreSettings, withSettings } from "@/testing/settings";
import { authSecret, githubOAuth, settings } from "./env";

afterEach(restoreSettings);

describe("settings", () => {
  it("validates only the named settings, and reuses its result until one of them changes", () => {
    overrideSettings({ JOB_BATCH_SIZE: "7", GUARD_WINDOW_SECONDS: "not a number" });
    const first = settings("JOB_BATCH_SIZE");
    expect(first).toEqual({ JOB_BATCH_SIZE: 7 });
    expect(settings("JOB_BATCH_SIZE")).toBe(first);
    overrideSettings({ JOB_BATCH_SIZE: "8" });
    expect(settings("JOB_BATCH_SIZE")).toEqual({ JOB_BATCH_SIZE: 8 });
    expect(() => settings("GUARD_WINDOW_SECONDS")).toThrow(/GUARD_WINDOW_SECONDS/);
  });

  it("checks settings that go together when they are read together", () => {
    overrideSettings({ UPSTASH_REDIS_REST_URL: "https://example.upstash.io", UPSTASH_REDIS_REST_TOKEN: undefined });
    expect(settings("UPSTASH_REDIS_REST_URL").UPSTASH_REDIS_REST_URL).toBe("https://example.upstash.io");
    expect(() => settings("UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN")).toThrow(/go together/);
  });

  it("puts overridden settings back, newest first, nested ones with the override they are in", async () => {
    const before = process.env.JOB_MAX_BATCHES;
    overrideSettings({ JOB_MAX_BATCHES: "2" });
    await withSettings({ JOB_MAX_BATCHES: "3" }, () => {
      overrideSettings({ JOB_MAX_BATCHES: "4" });
      expect(settings("JOB_MAX_BATCHES").JOB_MAX_BATCHES).toBe(4);
    });
    expect(settings("JOB_MAX_BATCHES").JOB_MAX_BATCHES).toBe(2);
    restoreSettings();
    expect(process.env.JOB_MAX_BATCHES).toBe(before);
  });
});

describe("authSecret", () => {
  it("has a development default and refuses to run without a secret in production", () => {
    overrideSettings({ AUTH_SECRET: undefined, NODE_ENV: "development" });
    expect(authSecret()).toMatch(/^dev-only-/);
    overrideSettings({ NODE_ENV: "production" });
    expect(() => authSecret()).toThrow(/AUTH_SECRET must be set in production/);
  });
});

describe("githubOAuth", () => {
  it("is off without both credentials, and points at a GitHub Enterprise Server when its URL is set", () => {
    overrideSettings({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: undefined, AUTH_GITHUB_ENTERPRISE_URL: undefined });
    expect(() => githubOAuth()).toThrow(/go together/);
    overrideSettings({ AUTH_GITHUB_ID: undefined });
    expect(githubOAuth()).toBeNull();
    overrideSettings({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "secret" });
    expect(githubOAuth()).toEqual({ clientId: "id", clientSecret: "secret" });
    overrideSettings({ AUTH_GITHUB_ENTERPRISE_URL: "https://github.example.com/" });
    expect(githubOAuth()).toEqual({ clientId: "id", clientSecret: "secret", enterprise: { baseUrl: "https://github.example.com" } });
    overrideSettings({ AUTH_GITHUB_ENTERPRISE_URL: "http://127.0.0.1:3951" });
    expect(githubOAuth()?.enterprise).toEqual({ baseUrl: "http://127.0.0.1:3951" });
  });

  it("refuses an enterprise URL that would send the client secret in the clear, or is not a base URL", () => {
    overrideSettings({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "secret" });
    for (const url of ["http://github.example.com", "ftp://github.example.com", "https://github.example.com/?x=1", "github.example.com"]) {
      overrideSettings({ AUTH_GITHUB_ENTERPRISE_URL: url });
      expect(() => githubOAuth(), url).toThrow(/AUTH_GITHUB_ENTERPRISE_URL/);
    }
  });
});
