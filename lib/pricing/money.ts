import { z } from "zod";

/**
 * The largest amount, in minor units, that any money field or any computed line of the price tower
 * may hold: 10^15. Columns are `bigint` because a currency with small units (IDR, VND, KRW) passes
 * 2^31 in ordinary carts; the bound stays far below Number.MAX_SAFE_INTEGER (≈ 9 × 10^15), so every
 * amount, and the sum of any two, is exact in a JS number and fits the columns.
 */
export const MAX_MONEY = 1_000_000_000_000_000;

/** Every money input (book terms, cart amounts): a whole number of minor units from 0 to MAX_MONEY. */
export const money = z.number().int().min(0).max(MAX_MONEY, `must be at most ${MAX_MONEY} minor units`);

/**
 * `a × b / d` rounded half up to a whole minor unit, for non-negative integers: the one rounding
 * rule of the price tower (percent discounts and taxes). BigInt, so no product loses precision.
 */
export function mulDivHalfUp(a: number, b: number, d: number): number {
  return Number(mulDivHalfUpBig(BigInt(a), BigInt(b), BigInt(d)));
}

/** mulDivHalfUp on BigInts, for checks whose operands may not be safe integers yet. */
export function mulDivHalfUpBig(a: bigint, b: bigint, d: bigint): bigint {
  return (a * b * 2n + d) / (2n * d);
}
