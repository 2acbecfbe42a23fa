// SPDX-License-Identifier: MIT
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Imports each layer may not make (README.md, "Project layout"). */
const upper = (dirs) => dirs.flatMap((d) => [`../${d}/**`, `../../${d}/**`]);

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "src/journal/gen/**",
      "coverage/**",
      ".prof/**",
      // Written as users of the official SDK write code; type-checked by test/compat instead.
      "test/compat/corpus/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // Handlers are async by contract (the SDK awaits them) even when they await nothing.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["src/journal/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "hono",
                "hono/*",
                "@hono/*",
                ...upper(["context", "endpoint", "testing", "clients", "definitions", "serde"]),
                "../errors.js",
                "../../errors.js",
              ],
              message: "src/journal is the pure engine: it imports only journal/* and protobuf.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "Promise", message: "The engine never awaits." },
        { name: "setTimeout", message: "The engine has no timers." },
        { name: "fetch", message: "The engine does no I/O." },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Time comes into the engine as a value." },
        { object: "Math", property: "random", message: "Randomness comes in as a seed." },
      ],
    },
  },
  {
    files: ["src/serde/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "hono",
                "hono/*",
                "@hono/*",
                ...upper(["definitions", "context", "endpoint", "testing", "clients"]),
              ],
              message: "src/serde turns values into bytes: it imports only the engine and errors.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/definitions/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["hono", "hono/*", "@hono/*", ...upper(["endpoint", "testing", "clients"])],
              message: "src/definitions describes services: no transport, runtime or clients.",
            },
            {
              // Handler signatures name the context types; the context's code stays out.
              group: upper(["context"]),
              allowTypeImports: true,
              message: "src/definitions imports the context by type only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/endpoint/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: upper(["testing", "clients"]),
              message: "src/endpoint serves handlers: it never imports testing or the clients.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/context/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["hono", "hono/*", "@hono/*", ...upper(["endpoint", "testing", "clients"])],
              message: "src/context must not import hono or the layers below it.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/testing/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["hono", "hono/*", "@hono/*", ...upper(["endpoint", "clients"])],
              message:
                "src/testing drives the engine directly: no endpoint, and no clients (tools that need both live in src/bin).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/clients/**/*.ts"],
    ignores: ["src/clients/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "hono",
                "hono/*",
                "@hono/*",
                ...upper(["context", "journal", "endpoint", "testing"]),
              ],
              message: "src/clients runs outside Restate handlers: no engine, context or endpoint.",
            },
            {
              group: upper(["definitions"]),
              allowTypeImports: true,
              message: "src/clients imports definitions by type only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
