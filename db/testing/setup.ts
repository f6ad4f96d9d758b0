import { afterAll, afterEach, beforeEach } from "vitest";
import { closeDb, db } from "@/db/client";
import { settleAfterResponse } from "@/lib/after-response";
import { closeRedis } from "@/lib/redis";
import { restoreSettings } from "@/testing/settings";
import { resetDatabase } from "./reset";

beforeEach(async () => {
  await resetDatabase(db);
});

// Work a route started after its response (a generation run) ends before the next test truncates its rows.
afterEach(async () => {
  await settleAfterResponse();
});

afterAll(async () => {
  // Settings live in process.env, which outlives a test file: an override left in place would leak.
  restoreSettings();
  await closeDb();
  await closeRedis();
});
