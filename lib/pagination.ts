import { z } from "zod";

/**
 * The largest offset a list takes: PostgreSQL's OFFSET is a bigint, and `?offset=1e20` would reach
 * it as a value it cannot parse (a 500). No list here comes near 2^31 rows for one caller, so a
 * clamped offset simply answers an empty page.
 */
export const MAX_OFFSET = 2_147_483_647;

/** `limit` is clamped to 1–1000 and `offset` to 0–MAX_OFFSET: bad values never fail a list (DESIGN §6). */
export const pagination = {
  limit: z.coerce
    .number()
    .catch(50)
    .transform((n) => (Number.isFinite(n) ? Math.min(1000, Math.max(1, Math.trunc(n))) : 50)),
  offset: z.coerce
    .number()
    .catch(0)
    .transform((n) => (Number.isNaN(n) ? 0 : Math.min(MAX_OFFSET, Math.max(0, Math.trunc(n))))),
};

/** The list envelope of DESIGN §6. */
export interface Page<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
