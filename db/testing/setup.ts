import { afterAll, beforeEach } from "vitest";
import { closeDb, db } from "@/db/client";
import { closeRedis } from "@/lib/redis";
import { restoreSettings } from "@/testing/settings";
import { resetDatabase } from "./reset";

beforeEach(async () => {
  await resetDatabase(db);
});

afterAll(async () => {
  // Settings live in process.env, which outlives a test file: an override left in place would leak.
  restoreSettings();
  await closeDb();
  await closeRedis();
});
