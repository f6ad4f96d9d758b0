import { afterAll, beforeEach } from "vitest";
import { closeDb, db } from "@/db/client";
import { resetDatabase } from "./reset";

beforeEach(async () => {
  await resetDatabase(db);
});

afterAll(async () => {
  await closeDb();
});
