import { eq } from "drizzle-orm";
import { POST as assignCodeRoute } from "@/app/api/assignments/[code]/route";
import { POST as assignRandomRoute } from "@/app/api/assignments/random/route";
import { POST as lockRoute } from "@/app/api/coupons/[code]/lock/route";
import { POST as redeemRoute } from "@/app/api/coupons/[code]/redeem/route";
import { POST as unlockRoute } from "@/app/api/coupons/[code]/unlock/route";
import { db } from "@/db/client";
import { couponCodes } from "@/db/schema";
import { call, type CallResult } from "./http";

export interface Caller {
  token?: string;
  cookie?: string;
}

export const assignRandom = (who: Caller, body: Record<string, unknown>) =>
  call(assignRandomRoute, { path: "/api/assignments/random", ...who, body });

export const assignCode = (who: Caller, code: string, body: Record<string, unknown>) =>
  call(assignCodeRoute, { path: `/api/assignments/${code}`, params: { code }, ...who, body });

const action = (route: typeof lockRoute, name: string) => (who: Caller, code: string, body: Record<string, unknown>) =>
  call(route, { path: `/api/coupons/${code}/${name}`, params: { code }, ...who, body });

export const lock = action(lockRoute, "lock");
export const unlock = action(unlockRoute, "unlock");
export const redeem = action(redeemRoute, "redeem");

export async function codesOf(bookId: string) {
  const rows = await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, bookId));
  return rows.map((r) => r.code);
}

export const statuses = (results: CallResult[]) => results.map((r) => r.status).sort();
export const countStatus = (results: CallResult[], status: number) => results.filter((r) => r.status === status).length;
