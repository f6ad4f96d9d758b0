import type { Operation } from "../operation";

export const platformOperations: Operation[] = [];
