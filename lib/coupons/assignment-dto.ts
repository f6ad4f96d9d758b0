import type { couponAssignments } from "@/db/schema";

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

export function toAssignmentDto(assignment: AssignmentRow, code: string, maxRedeems: number, now = new Date()) {
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
export type AssignmentDto = ReturnType<typeof toAssignmentDto>;
