// SPDX-License-Identifier: MIT
// A logger that drops everything, for endpoint tests whose requests fail on purpose.
import { createLogger, type Logger } from "../logger.js";

/** Logs nothing: every level goes to a sink that drops it. */
export const silent: Logger = createLogger({
  level: "ERROR",
  sink: { debug() {}, info() {}, warn() {}, error() {} },
});
