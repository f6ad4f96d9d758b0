import { timestamp, uuid } from "drizzle-orm/pg-core";

// Column builders every table shares; not re-exported from the schema's index.
export const id = () => uuid("id").primaryKey().defaultRandom();
export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
