// SPDX-License-Identifier: MIT
// Endpoint child for restate-hono (bundled by bench/build.ts, run by bench/processes.ts).
import * as sdk from "../src/index.js";
import { serveChild } from "./child-main.js";
import { listenBenchEndpoint } from "./services.js";

await serveChild((port) => listenBenchEndpoint(sdk, port));
