// Lint rules: the recommended JS and TypeScript sets, plus a guard that keeps env reads in config.ts.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".tools/", ".data/", "media/", "public/vendor/"] },
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
    files: ["src/**/*.ts"],
    ignores: ["src/config.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through src/config.ts." }],
    },
  },
  {
    files: ["public/js/**/*.js"],
    languageOptions: { globals: { window: "readonly", document: "readonly", navigator: "readonly", htmx: "readonly", videojs: "readonly", setTimeout: "readonly", clearTimeout: "readonly", fetch: "readonly", URLSearchParams: "readonly", FormData: "readonly", Blob: "readonly" } },
  },
);
