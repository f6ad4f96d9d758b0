/**
 * `a × b / d` rounded half up to a whole minor unit, for non-negative integers: the one rounding
 * rule of the price tower (percent discounts and taxes). BigInt, so no product loses precision.
 */
export function mulDivHalfUp(a: number, b: number, d: number): number {
  const divisor = BigInt(d);
  return Number((BigInt(a) * BigInt(b) * 2n + divisor) / (2n * divisor));
}
