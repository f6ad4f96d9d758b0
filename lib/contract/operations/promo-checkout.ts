import type { Operation } from "../operation";

export const promoCheckoutOperations: Operation[] = [];
