import { z } from "zod";

/** `limit` is clamped to 1–1000 and `offset` to ≥ 0: bad values never fail a list (DESIGN §6). */
export const pagination = {
  limit: z.coerce
    .number()
    .catch(50)
    .transform((n) => (Number.isFinite(n) ? Math.min(1000, Math.max(1, Math.trunc(n))) : 50)),
  offset: z.coerce
    .number()
    .catch(0)
    .transform((n) => (Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : 0)),
};

/** The list envelope of DESIGN §6. */
export interface Page<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
