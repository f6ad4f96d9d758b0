import { createHmac } from "node:crypto";
import { codeHashSecret } from "@/lib/env";

const hmac = (domain: string, value: string) => createHmac("sha256", codeHashSecret()).update(`${domain}:${value}`).digest("hex");

/** HMAC-SHA256 of a normalized code with CODE_HASH_SECRET: what attempts and logs carry instead of the code. */
export const hashCode = (normalizedCode: string) => hmac("code", normalizedCode);

/** Client ips are personal data: attempts and rate-limit keys hold this instead. */
export const hashIp = (ip: string) => hmac("ip", ip);

/**
 * The part of a code ops may see: the book's own code_prefix when the code starts with it (the
 * public, literal head of its pattern), else at most 4 characters and never more than half the code.
 */
export function visiblePrefix(normalizedCode: string, bookPrefix: string | null | undefined) {
  if (bookPrefix && normalizedCode.startsWith(bookPrefix) && bookPrefix.length < normalizedCode.length) return bookPrefix;
  return normalizedCode.slice(0, Math.min(4, Math.floor(normalizedCode.length / 2)));
}
