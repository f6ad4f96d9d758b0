import { afterAll, beforeEach } from "vitest";
import { closeDb, db } from "@/db/client";
import { closeRedis } from "@/lib/redis";
import { resetDatabase } from "./reset";

beforeEach(async () => {
  await resetDatabase(db);
});

afterAll(async () => {
  await closeDb();
  await closeRedis();
});
