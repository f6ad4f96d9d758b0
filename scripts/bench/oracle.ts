import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponAssignments, couponBooks, couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { validateCoupon } from "@/lib/checkout/validate-coupon";

const SAMPLES = 200;
const WARMUP = 20;
const META = { ip: null, userAgent: "bench" };

export interface OracleFigures {
  caller: string;
  unknown: number[];
  foreign: number[];
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
function quantile(xs: number[], q: number) {
  const s = sorted(xs);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo]! + (s[hi]! - s[lo]!) * (at - lo);
}

/** Φ(z) through the Abramowitz–Stegun erf approximation (|error| < 1.5e-7): enough for a p-value. */
function normalCdf(z: number) {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Two-sided Mann–Whitney U test, normal approximation with the tie correction. */
export function mannWhitney(a: number[], b: number[]) {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  const r1 = all.reduce((sum, x, i) => (x.g === 0 ? sum + ranks[i]! : sum), 0);
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = (u1 - mean) / sd;
  return { u: u1, z, p: 2 * (1 - normalCdf(Math.abs(z))) };
}

/**
 * `npm run bench -- --oracle`: validate of (a) an unknown code and (b) another shopper's code,
 * SAMPLES each, interleaved in random order per pair after a warm-up, for a shopper session and for
 * the internal caller, through the service (no HTTP: the route adds the same work to both).
 */
export async function runOracleBench(db: Db, businessId: string, runTag: string): Promise<OracleFigures[]> {
  const [book] = await db
    .insert(couponBooks)
    .values({ businessId, name: "bench oracle", status: "ACTIVE", codePrefix: "ORC-", discountType: "FIXED", discountValue: 100, generatedCount: 1 })
    .returning();
  const foreignCode = `ORC-${runTag.toUpperCase()}HELD`;
  const [code] = await db.insert(couponCodes).values({ businessId, bookId: book!.id, code: foreignCode, status: "ASSIGNED" }).returning();
  await db.insert(couponAssignments).values({ businessId, codeId: code!.id, bookId: book!.id, userId: `owner-${runTag}` });
  const cart = {
    currency: "USD",
    items: [{ sku: "sku-a", businessId, unitPrice: 5000, quantity: 2, itemDiscount: 0 }],
    shipping: 500,
    taxRate: 0,
  };

  const callers: Array<[string, Actor, string | undefined]> = [
    ["shopper session", { kind: "user", role: "shopper", userId: `guesser-${runTag}` }, undefined],
    ["internal caller", { kind: "internal" }, `guesser-${runTag}`],
  ];
  const figures: OracleFigures[] = [];
  for (const [caller, actor, userId] of callers) {
    const once = async (which: "unknown" | "foreign", n: number) => {
      const tried = which === "unknown" ? `ORC-${runTag.toUpperCase()}N${n}` : foreignCode;
      const start = process.hrtime.bigint();
      const quote = await validateCoupon(db, actor, tried, { userId, cart }, META);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (quote.result !== "INVALID") throw new Error(`expected INVALID for the ${which} code, got ${quote.result}`);
      return ms;
    };
    for (let i = 0; i < WARMUP; i++) {
      await once("unknown", -i);
      await once("foreign", -i);
    }
    const unknown: number[] = [];
    const foreign: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      if (Math.random() < 0.5) {
        unknown.push(await once("unknown", i));
        foreign.push(await once("foreign", i));
      } else {
        foreign.push(await once("foreign", i));
        unknown.push(await once("unknown", i));
      }
    }
    figures.push({ caller, unknown, foreign });
  }
  await db.delete(couponAssignments).where(eq(couponAssignments.bookId, book!.id));
  return figures;
}

export function printOracle(figures: OracleFigures[]) {
  console.log(`validate, ${SAMPLES} samples each, interleaved (ms)`);
  console.log("caller            | unknown median / p95 | someone else's median / p95 | Δ median | Mann–Whitney U, z, p (two-sided)");
  for (const f of figures) {
    const test = mannWhitney(f.unknown, f.foreign);
    const cells = [
      f.caller.padEnd(17),
      `${quantile(f.unknown, 0.5).toFixed(2)} / ${quantile(f.unknown, 0.95).toFixed(2)}`.padEnd(20),
      `${quantile(f.foreign, 0.5).toFixed(2)} / ${quantile(f.foreign, 0.95).toFixed(2)}`.padEnd(27),
      (quantile(f.foreign, 0.5) - quantile(f.unknown, 0.5)).toFixed(2).padStart(8),
      `U=${test.u.toFixed(0)}, z=${test.z.toFixed(2)}, p=${test.p.toFixed(3)}`,
    ];
    console.log(cells.join(" | "));
  }
}
