import { bigint, timestamp, uuid } from "drizzle-orm/pg-core";

// Column builders every table shares; not re-exported from the schema's index.
export const id = () => uuid("id").primaryKey().defaultRandom();
export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
/**
 * An amount in integer minor units (lib/pricing/money.ts bounds it to MAX_MONEY). bigint, since a
 * currency with small units passes 2^31 in ordinary carts; read as a JS number, exact below 2^53.
 */
export const money = (name: string) => bigint(name, { mode: "number" });
