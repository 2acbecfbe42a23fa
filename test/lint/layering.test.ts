// SPDX-License-Identifier: MIT
// The layering of README.md ("Project layout") is a lint rule; these tests make sure the rule actually fires.
import { describe, expect, it } from "vitest";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";

// A computed specifier: the config is plain JavaScript without type declarations.
const configPath: string = "../../eslint.config.js";
const { default: config } = (await import(configPath)) as { default: Linter.Config[] };

const layerRules = config.filter(
  (entry) =>
    entry.rules !== undefined &&
    ("no-restricted-imports" in entry.rules ||
      "@typescript-eslint/no-restricted-imports" in entry.rules ||
      "no-restricted-globals" in entry.rules),
);

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    { plugins: { "@typescript-eslint": tseslint.plugin } },
    { files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } },
    ...layerRules,
  ],
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("layering lint rules", () => {
  it("keeps hono and upper layers out of the engine", async () => {
    expect(await problems("src/journal/x.ts", `import { Hono } from "hono";\nvoid Hono;`)).toEqual([
      expect.stringContaining("no-restricted-imports"),
    ]);
    expect(
      await problems("src/journal/x.ts", `import { a } from "../context/invocation.js";\nvoid a;`),
    ).toHaveLength(1);
    expect(await problems("src/journal/x.ts", `import { a } from "./vm.js";\nvoid a;`)).toEqual([]);
  });

  it("keeps promises, timers and the clock out of the engine", async () => {
    expect(await problems("src/journal/x.ts", `void Promise.resolve(1);`)).toHaveLength(1);
    expect(await problems("src/journal/x.ts", `void setTimeout;`)).toHaveLength(1);
  });

  it("keeps hono out of the context and the endpoint out of testing", async () => {
    expect(
      await problems("src/context/x.ts", `import { Hono } from "hono";\nvoid Hono;`),
    ).toHaveLength(1);
    expect(
      await problems("src/testing/x.ts", `import { a } from "../endpoint/app.js";\nvoid a;`),
    ).toHaveLength(1);
    expect(await problems("src/endpoint/x.ts", `import { Hono } from "hono";\nvoid Hono;`)).toEqual(
      [],
    );
  });

  it("keeps the testing runtime free of the clients", async () => {
    expect(
      await problems("src/testing/x.ts", `import { a } from "../clients/admin.js";\nvoid a;`),
    ).toHaveLength(1);
    expect(
      await problems("src/bin/x.ts", `import { a } from "../clients/admin.js";\nvoid a;`),
    ).toEqual([]);
  });

  it("keeps serde below definitions, context and the endpoint", async () => {
    for (const layer of ["definitions/service.js", "context/types.js", "endpoint/app.js"]) {
      expect(
        await problems("src/serde/x.ts", `import { a } from "../${layer}";\nvoid a;`),
      ).toHaveLength(1);
    }
    expect(
      await problems("src/serde/x.ts", `import { Hono } from "hono";\nvoid Hono;`),
    ).toHaveLength(1);
    expect(await problems("src/serde/x.ts", `import { a } from "../errors.js";\nvoid a;`)).toEqual(
      [],
    );
  });

  it("lets definitions import the context by type only, and nothing below it", async () => {
    expect(
      await problems(
        "src/definitions/x.ts",
        `import { RestatePromise } from "../context/restate-promise.js";\nvoid RestatePromise;`,
      ),
    ).toHaveLength(1);
    expect(
      await problems(
        "src/definitions/x.ts",
        `import type { Context } from "../context/types.js";\nexport type C = Context;`,
      ),
    ).toEqual([]);
    for (const layer of ["endpoint/app.js", "testing/index.js", "clients/index.js"]) {
      expect(
        await problems("src/definitions/x.ts", `import { a } from "../${layer}";\nvoid a;`),
      ).toHaveLength(1);
    }
  });

  it("keeps testing and the clients out of the endpoint", async () => {
    for (const layer of ["testing/index.js", "clients/index.js"]) {
      expect(
        await problems("src/endpoint/x.ts", `import { a } from "../${layer}";\nvoid a;`),
      ).toHaveLength(1);
    }
    expect(
      await problems("src/endpoint/x.ts", `import { a } from "../context/invocation.js";\nvoid a;`),
    ).toEqual([]);
  });

  it("keeps the clients free of the engine and imports definitions by type only", async () => {
    expect(
      await problems("src/clients/x.ts", `import { a } from "../journal/vm.js";\nvoid a;`),
    ).toHaveLength(1);
    expect(
      await problems(
        "src/clients/x.ts",
        `import { service } from "../definitions/service.js";\nvoid service;`,
      ),
    ).toHaveLength(1);
    expect(
      await problems(
        "src/clients/x.ts",
        `import type { AnyDefinition } from "../definitions/service.js";\nexport type A = AnyDefinition;`,
      ),
    ).toEqual([]);
  });
});
