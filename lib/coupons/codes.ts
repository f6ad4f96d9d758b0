/** One normalization for storage, lookup and hashing: trim, uppercase, no whitespace anywhere. */
export function normalizeCode(raw: string): string {
  return raw.replace(/\s+/g, "").toUpperCase();
}

/** What a stored code may look like after normalization. */
export const CODE_FORMAT = /^[A-Z0-9_-]{3,64}$/;
