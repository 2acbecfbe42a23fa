// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { userCallSite } from "./call-site.js";

const stack = (...frames: string[]) => ["ProtocolError: Journal mismatch", ...frames].join("\n");

describe("userCallSite", () => {
  it("skips the SDK, installed packages and the runtime, and returns the handler frame", () => {
    const found = userCallSite(
      stack(
        "    at Object.journalMismatch (/sdk/src/journal/errors.ts:99:5)",
        "    at InvocationContext.run (/sdk/src/context/invocation-context.ts:168:43)",
        "    at wrapped (/app/node_modules/restate-hono/dist/src/definitions/service.js:3:9)",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        "    at async Object.place [as fn] (file:///app/src/orders.ts:31:17)",
        "    at Attempt.run (/sdk/src/context/invocation.ts:140:22)",
      ),
      "/sdk/src/",
    );
    expect(found).toEqual({
      file: "/app/src/orders.ts",
      line: 31,
      column: 17,
      functionName: "Object.place [as fn]",
    });
  });

  it("reads anonymous frames and returns undefined when no frame is user code", () => {
    expect(userCallSite(stack("    at /app/handlers.js:7:3"), "/sdk/src/")).toEqual({
      file: "/app/handlers.js",
      line: 7,
      column: 3,
    });
    expect(
      userCallSite(stack("    at f (/sdk/src/journal/vm.ts:1:1)", "    at native"), "/sdk/src/"),
    ).toBeUndefined();
  });
});
