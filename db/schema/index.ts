// The drizzle schema, one file per capability; everything is imported from "@/db/schema".
export * from "./enums";
export * from "./tenants";
export * from "./coupons";
export * from "./ledger";
export * from "./promo";
export * from "./ops";
export * from "./shop";
