import type { Operation } from "../operation";

export const couponCodeOperations: Operation[] = [];
