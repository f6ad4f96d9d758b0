import { z } from "zod";
import type { couponAssignments } from "@/db/schema";
import { wireDateTime, wireId } from "@/lib/wire";

type AssignmentRow = Pick<
  typeof couponAssignments.$inferSelect,
  "id" | "bookId" | "businessId" | "userId" | "status" | "redeemCount" | "lockedAt" | "lockedUntil" | "assignedAt" | "redeemedAt"
>;

/** An expired lock reads as ASSIGNED: lock validity is locked_until, not a job (DESIGN §4, §5.7). */
export function isLockLive(assignment: Pick<AssignmentRow, "status" | "lockedUntil">, now = new Date()) {
  return assignment.status === "LOCKED" && assignment.lockedUntil !== null && assignment.lockedUntil.getTime() > now.getTime();
}

function effectiveAssignmentStatus(assignment: Pick<AssignmentRow, "status" | "lockedUntil">, now = new Date()) {
  if (assignment.status === "LOCKED" && !isLockLive(assignment, now)) return "ASSIGNED" as const;
  return assignment.status;
}

/** A code handed to a user, as the API shows it (seed 003's assignment). */
export const AssignmentDto = z
  .strictObject({
    id: wireId,
    code: z.string(),
    couponBookId: wireId,
    businessId: wireId,
    userId: z.string(),
    status: z.enum(["ASSIGNED", "LOCKED", "REDEEMED"]).describe("LOCKED only while the lock is live: a lock past its lockedUntil reads as ASSIGNED"),
    redeemCount: z.number().int().min(0).describe("Uses consumed so far"),
    maxRedeems: z.number().int().min(1).describe("Uses the user may make of it (the book's maxRedeemsPerUser); REDEEMED once redeemCount reaches it"),
    assignedAt: wireDateTime,
    lockedAt: wireDateTime.nullable().describe("Set only while the lock is live"),
    lockedUntil: wireDateTime.nullable().describe("When the live lock lapses (lockedAt + the book's lockTtlSeconds); null without a live lock"),
    redeemedAt: wireDateTime.nullable().describe("When the final use was consumed"),
  })
  .meta({ id: "Assignment" });
export type AssignmentDto = z.infer<typeof AssignmentDto>;

export function toAssignmentDto(assignment: AssignmentRow, code: string, maxRedeems: number, now = new Date()): AssignmentDto {
  const live = isLockLive(assignment, now);
  return {
    id: assignment.id,
    code,
    couponBookId: assignment.bookId,
    businessId: assignment.businessId,
    userId: assignment.userId,
    status: effectiveAssignmentStatus(assignment, now),
    redeemCount: assignment.redeemCount,
    maxRedeems,
    assignedAt: assignment.assignedAt.toISOString(),
    lockedAt: live ? (assignment.lockedAt?.toISOString() ?? null) : null,
    lockedUntil: live ? (assignment.lockedUntil?.toISOString() ?? null) : null,
    redeemedAt: assignment.redeemedAt?.toISOString() ?? null,
  };
}
