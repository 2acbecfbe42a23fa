// SPDX-License-Identifier: MIT
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

// Examples import the package by name, as users would; tests resolve that name to the sources.
const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

const UNIT = [
  "src/**/*.test.ts",
  "examples/**/*.test.ts",
  "test/lint/**/*.test.ts",
  "test/scenarios/**/*.test.ts",
];
// Tests that open real sockets (loopback, port 0) are not unit tests: they run with the e2e tests.
const SOCKETS = "src/**/*.socket.test.ts";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^restate-hono$/, replacement: src("index.ts") },
      { find: /^restate-hono\/(fetch|lambda|node)$/, replacement: src("$1.ts") },
      { find: /^restate-hono\/(clients|testing|opentelemetry)$/, replacement: src("$1/index.ts") },
    ],
  },
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    // vitest's default is one worker fewer than the cores: a single worker on a two-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Unit tests first (fast feedback), then the end-to-end tests with their own workers.
          sequence: { groupOrder: 0 },
          include: UNIT,
          exclude: [...configDefaults.exclude, SOCKETS],
          // Unit tests share one module graph per worker: importing hono, zod and protobuf once
          // instead of once per file is most of the unit suite's time. Tests therefore leave no
          // global state behind (globals are unstubbed after each test; fake timers are restored),
          // and pass collaborators in rather than `vi.mock` them (a mock would leak across files).
          isolate: false,
          unstubGlobals: true,
          unstubEnvs: true,
        },
      },
      {
        extends: true,
        test: {
          // Type-checks the compatibility corpus twice in-process (about 10 s of compiler time), so
          // it runs beside the e2e tests rather than slowing the unit tests.
          name: "compat",
          sequence: { groupOrder: 1 },
          include: ["test/compat/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          sequence: { groupOrder: 1 },
          include: ["test/e2e/**/*.test.ts", SOCKETS],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each e2e file starts its own server; two cores keep that to two at a time.
          maxWorkers: 2,
        },
      },
    ],
  },
});
