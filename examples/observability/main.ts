// SPDX-License-Identifier: MIT
// Runs the shop: pino JSON lines on stdout, spans printed by the console exporter. In production,
// swap in an OTLP exporter (e.g. @opentelemetry/exporter-trace-otlp-http) and a batch processor.
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { pino } from "pino";
import { shopEndpoint } from "./shop.js";

const tracing = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
const port = await shopEndpoint(tracing.getTracer("shop"), pino()).listen(
  Number(process.env["PORT"] ?? 9080),
);
console.log(`shop listening on port ${port}`);
