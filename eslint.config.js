// Lint rules: the recommended JS and TypeScript sets, type-aware checks on promises, the layer
// boundaries of src/ (arrows point down: routes -> services -> models/lib), no import cycles, and a
// guard that keeps env reads in config.ts. Formatting is prettier's (npm run format).
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

const DOMAINS = ["catalog", "watching", "accounts", "billing", "notifications", "ops"];
const domainIndexes = DOMAINS.map((d) => `./${d}/index.ts`);

/** A domain reaches another domain only through that domain's index.ts. */
const domainZones = DOMAINS.map((d) => ({
  target: `./src/services/${d}`,
  from: "./src/services",
  except: [`./${d}`, ...domainIndexes],
  message: "Use the other domain's public entry (services/<domain>/index.ts).",
}));

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".tools/", ".data/", "media/", "public/vendor/", "coverage/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    files: ["src/**/*.ts", "tests/**/*.ts", "bench/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // Express 5 awaits async handlers and passes their rejections on: promise-returning
      // callbacks in argument position are fine; everywhere else a misused promise is a bug.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      "@typescript-eslint/return-await": ["error", "in-try-catch"],
      "@typescript-eslint/switch-exhaustiveness-check": "error",
    },
  },
  {
    files: ["src/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
      // Imported .ts files are parsed as TypeScript (no-cycle follows them through their imports).
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/extensions": [".ts", ".js"],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./src/lib",
              from: ["./src/services", "./src/routes", "./src/models", "./src/cli", "./src/jobs", "./src/deps.ts", "./src/app.ts"],
              message: "lib/ is domain-free: it imports nothing from services, routes, models, cli or jobs.",
            },
            {
              target: "./src/models",
              from: ["./src/services", "./src/routes", "./src/cli", "./src/jobs"],
              message: "Models are the bottom layer.",
            },
            {
              target: "./src/services",
              from: ["./src/routes", "./src/cli", "./src/jobs", "./src/app.ts", "./src/server.ts", "./src/worker.ts"],
              message: "Services never see routes, the CLI or jobs (arrows point down).",
            },
            {
              target: ["./src/routes", "./src/cli", "./src/jobs", "./src/app.ts", "./src/server.ts", "./src/worker.ts"],
              from: "./src/models",
              message: "Only services import models; use the domain's index.",
            },
            {
              target: ["./src/routes", "./src/cli", "./src/jobs", "./src/app.ts", "./src/server.ts", "./src/worker.ts", "./src/deps.ts"],
              from: "./src/services",
              except: domainIndexes,
              message: "Use the domain's public entry (services/<domain>/index.ts).",
            },
            ...domainZones,
          ],
        },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/config.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through src/config.ts." }],
    },
  },
  {
    files: ["public/js/**/*.js"],
    languageOptions: {
      globals: {
        window: "readonly",
        document: "readonly",
        navigator: "readonly",
        htmx: "readonly",
        videojs: "readonly",
        tus: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        fetch: "readonly",
        URLSearchParams: "readonly",
        FormData: "readonly",
        Blob: "readonly",
      },
    },
  },
);
