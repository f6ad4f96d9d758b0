import { Inngest } from "inngest";

/**
 * The Inngest client of the platform. Functions (crons and events) live in inngest/functions/ as
 * thin wrappers over lib/ services and are served at /api/inngest once they exist.
 */
export const inngest = new Inngest({ id: "coupon-platform" });
