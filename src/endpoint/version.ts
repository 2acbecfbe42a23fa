// SPDX-License-Identifier: MIT

/**
 * This package's version; a unit test keeps it equal to `package.json`'s.
 *
 * It is a constant rather than a read of `package.json` so that every runtime (Workers, Deno,
 * bundlers) gets it without JSON imports or file access.
 *
 * @example
 * console.log(`restate-hono ${SDK_VERSION}`);
 */
export const SDK_VERSION = "0.1.0";

/**
 * The value of the `x-restate-server` header sent on every response (docs/protocol.md §1.3): the
 * runtime stores it as the deployment's `sdk_version` and the attempt's `last_attempt_server`.
 *
 * @example
 * new Response("OK", { headers: { "x-restate-server": SERVER_HEADER } });
 */
export const SERVER_HEADER = `restate-hono/${SDK_VERSION}`;
