// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules, and the
// Rules of Hooks. The type checker itself runs as `npm run typecheck` (tsc, strict).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}", "tests/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    // The plugin's recommended set: the Rules of Hooks, exhaustive deps and the React Compiler's checks.
    rules: { ...reactHooks.configs["recommended-latest"].rules, "react-hooks/exhaustive-deps": "error" },
  },
  {
    // The demo shell's classic script: a browser page's globals.
    files: ["shell/**/*.js"],
    languageOptions: { globals: globals.browser, sourceType: "script" },
  },
  {
    files: ["**/*.mjs", "vite.config.ts"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
