import { createHash } from "node:crypto";
import type Redis from "ioredis";

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/**
 * The commands @upstash/ratelimit sends (evalsha, falling back to eval on NOSCRIPT), over ioredis.
 * Its Lua scripts start with `#!lua flags=allow-key-locking`, which Redis 7.0 rejects, so the
 * shebang line is dropped and the library's script hash is mapped to the hash of what was loaded.
 */
export function upstashCompatibleRedis(redis: Redis) {
  const loaded = new Map<string, string>(); // the library's sha1 → sha1 of the script Redis holds

  const strip = (script: string) => (script.startsWith("#!") ? script.slice(script.indexOf("\n") + 1) : script);

  return {
    async evalsha(sha: string, keys: string[], args: unknown[]) {
      const ours = loaded.get(sha);
      // The library answers NOSCRIPT by sending the script itself through eval().
      if (!ours) throw new Error("NOSCRIPT No matching script (not loaded through this adapter yet)");
      return redis.evalsha(ours, keys.length, ...keys, ...args.map(String));
    },
    async eval(script: string, keys: string[], args: unknown[]) {
      const body = strip(script);
      const result = await redis.eval(body, keys.length, ...keys, ...args.map(String));
      loaded.set(sha1(script), sha1(body));
      return result;
    },
    async get(key: string) {
      return redis.get(key);
    },
    async set(key: string, value: unknown) {
      return redis.set(key, typeof value === "string" ? value : JSON.stringify(value));
    },
  };
}
