// SPDX-License-Identifier: MIT
// The members of the `rpc` namespace of `restate-hono/clients` (re-exported as `export * as rpc`,
// so that `rpc` is a namespace to TypeScript as in the official client: `import o = rpc.opts`).
export { opts, sendOpts } from "./rpc.js";
