import type { Operation } from "../operation";

export const assignmentOperations: Operation[] = [];
