import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

const config = [
  ...nextVitals,
  ...nextTs,
  // deploy/aws is its own package (CDK app) with its own tsconfig and tests.
  { ignores: [".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "db/migrations/**", "deploy/aws/**"] },
  {
    // An update or delete without a where clause changes every row (STYLE.md, t3's _eslint.drizzle.js).
    // Tests may reset or backdate a whole table on purpose: they own a throwaway database.
    files: ["**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "testing/**", "db/testing/**", "e2e/**"],
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  {
    // Layering (STYLE.md): pages and route handlers call lib/ services; SQL stays in lib/ and db/.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["drizzle-orm", "drizzle-orm/*"], message: "Query through a lib/ service." },
            { group: ["@/db/schema", "@/db/schema/*"], message: "Query through a lib/ service." },
            { group: ["postgres"], message: "Query through a lib/ service." },
          ],
        },
      ],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      // Types carry no data access: a component may name a service's DTO or an action's answer.
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/db/*", "@/lib/*/!(schemas|book-form)"], message: "Components take props; no data access.", allowTypeImports: true },
            { group: ["drizzle-orm", "drizzle-orm/*", "postgres"], message: "Components take props; no data access." },
          ],
        },
      ],
    },
  },
  {
    // PostgreSQL refuses U+0000 in text: every input string is built on lib/validation's text(), which
    // refuses it (withRoute also refuses a NUL anywhere in params, query and JSON bodies).
    files: ["lib/**/schemas.ts", "app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='z'][callee.property.name='string']",
          message: "Use text() from @/lib/validation: it refuses NUL, which PostgreSQL cannot store.",
        },
      ],
    },
  },
  {
    // Test bodies are whatever the API answered; asserting on them is the point.
    files: ["**/*.test.ts", "db/testing/**/*.ts", "testing/**/*.ts", "e2e/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
];

export default config;
