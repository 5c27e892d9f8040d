import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "cli/dist/", "dist-web/", "build/", "node_modules/", "src/kernels/wasm-binary.ts", "test/.tmp/", "test-results/", "assembly/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // One blank line at most between blocks; a line of code at most 240 characters (tables
      // of figures and one-line signatures are long on purpose; prose wraps at 100).
      "no-multiple-empty-lines": ["error", { max: 1, maxBOF: 0, maxEOF: 0 }],
      "max-len": ["error", { code: 240, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    files: ["bench/**/*.mjs", "scripts/**/*.mjs", "web/**/*.mjs", "cli/bin/*.js"],
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly", performance: "readonly", setTimeout: "readonly", globalThis: "readonly", Buffer: "readonly", TextEncoder: "readonly", TextDecoder: "readonly" } },
  },
);
