// SPDX-License-Identifier: MIT
// Every TypeScript snippet of README.md, docs/*.md and examples/*/README.md type-checks against the
// package's sources with the repository's strict compiler options, so a renamed export, a changed
// signature or a typo in the docs fails here instead of in a new user's editor. The snippets are
// fragments: CONTEXTS gives each the names its document introduced around it, and SERVICES the
// `./services.js` its imports name. A new snippet that needs names of its own gets an entry.
import { beforeAll, describe, expect, it } from "vitest";
import {
  type DocSnippet,
  type SnippetContext,
  type SnippetProgram,
  compileSnippets,
  documents,
  snippetKey,
  snippetsOf,
} from "./doc-snippets.js";

/** The services the README's snippets import from `./services.js`. */
const README_SERVICES = `
import { type Context, type ObjectContext, type WorkflowContext, object, service, workflow } from "restate-hono";
export const greeter = service({
  name: "Greeter",
  handlers: { greet: async (_ctx: Context, name: string) => \`Hello \${name}\` },
});
export const signup = workflow({
  name: "Signup",
  handlers: { run: async (_ctx: WorkflowContext, email: string) => \`\${email} verified\` },
});
export const payments = service({
  name: "Payments",
  handlers: { charge: async (_ctx: Context, amount: number) => ({ ok: amount > 0 }) },
});
export const orders = object({
  name: "Orders",
  handlers: { place: async (_ctx: ObjectContext, amount: number) => ({ ok: amount > 0 }) },
});
`;

/** The services docs/clients.md's snippets import from `./services.js`. */
const CLIENTS_SERVICES = `
import { type Context, type ObjectContext, type WorkflowContext, type WorkflowSharedContext,
  handlers, object, serde, service, workflow } from "restate-hono";
import { z } from "zod";
export const Order = z.object({ sku: z.string(), qty: z.number() });
export const greeter = service({
  name: "greeter",
  handlers: { greet: async (_ctx: Context, name: string) => \`Hello \${name}\` },
});
export type Greeter = typeof greeter;
export const cart = object({
  name: "cart",
  handlers: {
    add: async (_ctx: ObjectContext, item: { sku: string; qty: number }) => item.qty,
    checkout: async (_ctx: ObjectContext) => true,
  },
});
export type Cart = typeof cart;
export const signup = workflow({
  name: "signup",
  handlers: {
    run: async (_ctx: WorkflowContext, email: string) => \`\${email} verified\`,
    confirm: handlers.workflow.shared(async (_ctx: WorkflowSharedContext, _code: string) => {}),
  },
});
export type Signup = typeof signup;
export const clock = service({ name: "clock", handlers: { now: async (_ctx: Context) => 0 } });
export type Clock = typeof clock;
export const images = service({
  name: "images",
  handlers: {
    thumbnail: handlers.handler(
      { input: serde.binary, output: serde.binary },
      async (_ctx: Context, bytes: Uint8Array) => bytes,
    ),
  },
});
export type Images = typeof images;
export const store = service({
  name: "store",
  handlers: { put: async (_ctx: Context, _blob: { data: Uint8Array }) => ({ stored: true }) },
});
export type Store = typeof store;
export const orders = service({
  name: "orders",
  handlers: {
    place: handlers.handler({ input: serde.schema(Order) }, async (_ctx: Context, order: z.infer<typeof Order>) => order.qty),
  },
});
export type Orders = typeof orders;
export const payments = service({
  name: "payments",
  handlers: { charge: async (_ctx: Context, order: z.infer<typeof Order>) => order.qty > 0 },
});
export type Payments = typeof payments;
`;

const SERVICES = new Map([
  ["README.md", README_SERVICES],
  ["docs/clients.md", CLIENTS_SERVICES],
]);

const VITEST = `import { expect, it } from "vitest";`;
const INGRESS = `import { connect, rpc, serde } from "restate-hono/clients";
const ingress = connect({ url: "http://localhost:8080" });`;
const ADMIN = `import { connectAdmin } from "restate-hono/clients";
const admin = connectAdmin({ url: "http://localhost:9070" });`;

/** What each snippet needs around it, by document and first line. */
const CONTEXTS = new Map<string, SnippetContext>([
  [
    `README.md: import { openTelemetryHook } from "restate-hono/opentelemetry";`,
    {
      prelude: `import { type Context, service } from "restate-hono";
const handlers = { place: async (_ctx: Context, amount: number) => amount };`,
    },
  ],
  [
    `README.md: import { format } from "node:util";`,
    {
      prelude: `import { endpoint } from "restate-hono";\nimport { orders } from "./services.js";`,
    },
  ],
  [
    "README.md: const tenantPropagation: HooksProvider = (ctx) => {",
    {
      prelude: `import type { HooksProvider } from "restate-hono";
declare const metrics: { record(name: string, ms: number, tags: object): void };`,
    },
  ],
  [
    `README.md: import { type Context, type ObjectContext, object, rpc, service } from "restate-hono";`,
    { prelude: VITEST },
  ],
  [
    `README.md: import { readFile } from "node:fs/promises";`,
    { prelude: `${VITEST}\nimport { orders } from "./services.js";` },
  ],
  [
    "docs/clients.md: // services.ts (the Restate side)",
    { prelude: `import { type Context, service } from "restate-hono";` },
  ],
  [
    "docs/clients.md: const ingress = connect({",
    {
      prelude: `import { connect, type FetchFn } from "restate-hono/clients";
declare const token: string;
declare const myFetch: FetchFn;`,
    },
  ],
  [
    `docs/clients.md: await client.greet("Till", { idempotencyKey: "req-42", headers: { "x-trace": "1" } });`,
    {
      prelude: `${INGRESS}
import type { Clock, Greeter } from "./services.js";
const client = ingress.serviceClient<Greeter>({ name: "greeter" });
const clock = ingress.serviceClient<Clock>({ name: "clock" });`,
    },
  ],
  [
    "docs/clients.md: const png = await images.thumbnail(bytes, { input: serde.binary, output: serde.binary });",
    {
      prelude: `${INGRESS}
import { type Images, type Orders, type Store, Order } from "./services.js";
declare const bytes: Uint8Array;
const images = ingress.serviceClient<Images>({ name: "images" });
const store = ingress.serviceClient<Store>({ name: "store" });
const orders = ingress.serviceClient<Orders>({ name: "orders" });`,
    },
  ],
  [
    `docs/clients.md: const send = await ingress.serviceSendClient<Greeter>({ name: "greeter" }).greet("Till");`,
    { prelude: `${INGRESS}\nimport type { Cart, Greeter } from "./services.js";` },
  ],
  [
    `docs/clients.md: await ingress.attach<string>("inv_1…"); // waits`,
    { prelude: `${INGRESS}\nimport { cart, greeter } from "./services.js";` },
  ],
  [
    `docs/clients.md: const wf = ingress.workflowClient<Signup>({ name: "signup" }, "user-7");`,
    { prelude: `${INGRESS}\nimport type { Signup } from "./services.js";` },
  ],
  [
    "docs/clients.md: await ingress.resolveAwakeable(id, { approved: true }); // JSON by default",
    { prelude: `${INGRESS}\ndeclare const id: string;\ndeclare const bytes: Uint8Array;` },
  ],
  [
    "docs/clients.md: try {",
    {
      prelude: `${INGRESS}
import { isHttpCallError } from "restate-hono/clients";
import type { Payments } from "./services.js";
declare const order: { sku: string; qty: number };
declare function refuse(status: number, message: string): unknown;`,
      isFunctionBody: true,
    },
  ],
  [
    `docs/clients.md: const admin = connectAdmin({ url: "http://localhost:9070", headers: { authorization: "…" } });`,
    { prelude: `import { connectAdmin } from "restate-hono/clients";` },
  ],
  [
    "docs/clients.md: const { id, services } = await admin.registerDeployment({",
    { prelude: ADMIN },
  ],
  [
    "docs/clients.md: const stuck = await admin.listInvocations({",
    { prelude: `${ADMIN}\ndeclare const id: string;` },
  ],
  [
    `docs/clients.md: const { succeeded, failed } = await admin.cancelInvocations("cart/Mary");`,
    { prelude: ADMIN },
  ],
  [
    `docs/clients.md: import { sqlString } from "restate-hono/clients";`,
    { prelude: `${ADMIN}\ndeclare const name: string;` },
  ],
  [`docs/clients.md: const journal = await admin.exportJournal("inv_1…");`, { prelude: ADMIN }],
  ["docs/clients.md: const sub = await admin.createSubscription({", { prelude: ADMIN }],
]);

const snippets: DocSnippet[] = documents().flatMap(snippetsOf);
let program: SnippetProgram;

beforeAll(() => {
  program = compileSnippets(snippets, CONTEXTS, SERVICES);
}, 120_000);

describe("the docs' TypeScript snippets", () => {
  it("are found in README.md and docs/clients.md", () => {
    const docs = new Set(snippets.map((snippet) => snippet.doc));
    expect(docs).toContain("README.md");
    expect(docs).toContain("docs/clients.md");
  });

  it("have distinct first lines in each document (they name the snippets' contexts)", () => {
    const keys = snippets.map(snippetKey);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it("have a context only where a snippet still starts with that line", () => {
    const keys = new Set(snippets.map(snippetKey));
    expect([...CONTEXTS.keys()].filter((key) => !keys.has(key))).toEqual([]);
  });

  it.each([...SERVICES.keys()])("the services.ts given to %s compiles", (doc) => {
    expect(program.servicesDiagnostics(doc)).toEqual([]);
  });

  it.each(snippets.map((snippet) => [snippetKey(snippet), snippet] as const))(
    "%s compiles",
    (_key, snippet) => {
      expect(program.diagnostics(snippet)).toEqual([]);
    },
  );
});
