// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { type Context, type LogMetadata, LogSource, RestateLogLevel, service } from "../index.js";
import { FetchEndpoint } from "./fetch-endpoint.js";

function recordingTransport() {
  const lines: Array<{ meta: LogMetadata; text: string }> = [];
  return {
    lines,
    transport: (meta: LogMetadata, message?: unknown, ...rest: unknown[]) => {
      lines.push({ meta, text: [message, ...rest].map(String).join(" ") });
    },
  };
}

describe("endpoint().setLogger", () => {
  it("accepts a transport and sends endpoint messages to it as SYSTEM without context", async () => {
    const { lines, transport } = recordingTransport();
    const greeter = service({ name: "Greeter", handlers: { hi: async (_: Context) => "hi" } });
    const handler = new FetchEndpoint()
      .bind(greeter)
      .withIdentityV1("publickeyv1_2G2ndz9nUBTDVfmSxtzVe3nL8vC6nwpCmsoZxYqRJd9B")
      .setLogger(transport)
      .handler();
    const response = await handler(new Request("http://localhost/discover"));
    expect(response.status).toBe(401);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.meta).toEqual({
      source: LogSource.SYSTEM,
      level: RestateLogLevel.WARN,
      replaying: false,
    });
    expect(lines[0]?.text).toContain("Rejected request to /discover");
  });
});
