import { z } from "zod";

// Building blocks of the response schemas: the JSON as the wire carries it (dates are ISO strings,
// ids any 8-4-4-4-12 hex: fixtures and imports use ids that are not RFC 4122 version 4).

export const wireId = z.guid();
export const wireDateTime = z.iso.datetime({ offset: true });
export const wireMoney = z.number().int().min(0).describe("An amount in the currency's minor units (cents)");

/** The list envelope of DESIGN §6: `{ data, total, limit, offset }`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    data: z.array(item),
    total: z.number().int().min(0),
    limit: z.number().int().min(1),
    offset: z.number().int().min(0),
  });
