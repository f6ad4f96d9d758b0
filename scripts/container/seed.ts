import { DEMO_PASSWORD, DEMO_USERS, seedDatabase } from "@/lib/demo/seed";
import { containerDatabaseUrl } from "./database-url";

/**
 * `node seed.cjs`: the demo data of `npm run db:seed` for a local trial of the image (compose's `demo`
 * profile). Its accounts share a public password, so a production server refuses to run beside them
 * unless ALLOW_DEMO_ACCOUNTS=1; codes are hashed with CODE_HASH_SECRET, which must be the server's.
 */
async function main() {
  const database = containerDatabaseUrl(process.env);
  if (!database.ok) {
    console.error(database.message);
    process.exit(1);
  }
  if (!process.env.CODE_HASH_SECRET) {
    console.error("CODE_HASH_SECRET must be set, to the server's value: the demo codes are stored as its hashes.");
    process.exit(1);
  }
  const summary = await seedDatabase(database.url);
  const created = summary.createdUsers.length + summary.createdBooks.length + summary.generatedCodes;
  console.log(created === 0 ? "Demo data already present." : `Seeded ${summary.createdBooks.length} books and ${summary.generatedCodes} codes.`);
  console.log(`Logins: ${DEMO_USERS.map((user) => user.email).join(", ")} (password ${DEMO_PASSWORD}).`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`Seeding failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
