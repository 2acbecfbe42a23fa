// SPDX-License-Identifier: MIT
// Endpoint child for the official SDK. The polyfill must be the first import (see polyfill.ts).
import "./polyfill.js";
import * as sdk from "@restatedev/restate-sdk";
import { serveChild } from "./child-main.js";
import { listenBenchEndpoint } from "./services.js";

await serveChild((port) => listenBenchEndpoint(sdk, port));
