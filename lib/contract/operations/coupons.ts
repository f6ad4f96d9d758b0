import type { Operation } from "../operation";

export const couponOperations: Operation[] = [];
