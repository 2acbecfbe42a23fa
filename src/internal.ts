// SPDX-License-Identifier: MIT
// The `internal` namespace of the public API, as the official SDK names it: experimental helpers
// that may change without notice.
export { isSuspendedError } from "./context/attempt-hooks.js";
export type { ContextInternal } from "./context/context-internal.js";
