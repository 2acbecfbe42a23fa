// SPDX-License-Identifier: MIT
/**
 * `restate-hono/deploy-check`: is a new version safe to deploy next to, or in place of, what a
 * Restate server runs now? The library form of `restate-hono deploy-check`, for CI scripts.
 *
 * @example
 * import { deployCheck, formatReport } from "restate-hono/deploy-check";
 *
 * const report = await deployCheck({ admin: "http://localhost:9070", module: "./dist/services.js" });
 * console.log(formatReport(report));
 * process.exitCode = report.exitCode;
 * @module
 */

export { deployCheck } from "./deploy-check.js";
export { formatReport, type FormatOptions } from "./format-report.js";
export { compareSchemas, type SchemaCompatibility } from "./schema-compat.js";
export type { SourceLocation } from "./call-site.js";
export {
  DEPLOY_CHECK_DEFAULTS,
  type DeployCheckOptions,
  type DeployCheckReport,
  type DeploymentDrain,
  type DivergedInvocation,
  type DrainReport,
  type Finding,
  type HandlerSummary,
  type JournalReport,
  type RescueReport,
} from "./types.js";
export type { FetchFn } from "../clients/transport.js";
