// SPDX-License-Identifier: MIT
// The `internal` namespace of the public API, as the official SDK names it: experimental helpers
// that may change without notice. `ContextInternal` (isProcessing, cancellation,
// cancelPreviousCalls) joins it once the context implements explicit cancellation.
export { isSuspendedError } from "./context/attempt-hooks.js";
