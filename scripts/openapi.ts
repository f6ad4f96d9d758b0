import fs from "node:fs";
import path from "node:path";
import { renderPublishedFiles } from "@/lib/contract/published-files";

/**
 * `npm run openapi`: writes the published contract (docs/openapi.json) and its TypeScript types
 * (testing/api/openapi.d.ts) from the operations' zod schemas. `-- --check` writes nothing and fails
 * when a committed file is not current.
 */
const check = process.argv.includes("--check");
const files = await renderPublishedFiles();
let stale = 0;
for (const [file, content] of Object.entries(files)) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  if (current === content) continue;
  if (check) {
    console.error(`${file} is not current: run npm run openapi and commit it`);
    stale++;
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    console.log(`wrote ${file}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
