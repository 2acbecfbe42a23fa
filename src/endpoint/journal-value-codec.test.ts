// SPDX-License-Identifier: MIT
// `journalValueCodecProvider` on every endpoint kind and in `EndpointOptions`: the provider is
// called once, at the first invocation, and its codec reaches every attempt.
import { describe, expect, it } from "vitest";
import { service } from "../definitions/service.js";
import { toServiceEntry } from "../definitions/registry.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";
import { json } from "../serde/json.js";
import { CommandType } from "../journal/message-types.js";
import type { OutputCommand } from "../journal/gen/protocol_pb.js";
import { decodeOutput, inputCommand, journalCase } from "../journal/testing/journal-case.js";
import { createEndpointHandler } from "../fetch.js";
import { echoRunner } from "./__fixtures__/echo-runner.js";
import { type EndpointBuilder, endpointCore, withRunner } from "./endpoint-builder.js";
import { applyEndpointOptions } from "./endpoint-options.js";
import { FetchEndpoint } from "./fetch-endpoint.js";
import { LambdaEndpoint } from "./lambda-handler.js";
import { NodeHandlerEndpoint } from "./node-handler.js";
import { RestateEndpoint } from "./endpoint.js";
import { createLogger } from "./logger.js";

const greeter = service({
  name: "greeter",
  handlers: { greet: (_ctx, name: string) => Promise.resolve(`Hello ${name}`) },
});
const other = service({ name: "other", handlers: { noop: () => Promise.resolve() } });
const GREET = toServiceEntry(greeter).handlers.get("greet")!;
const silent = createLogger({
  level: "ERROR",
  sink: { debug() {}, info() {}, warn() {}, error() {} },
});

/** Reverses the bytes: enough to tell encoded from plain. */
const reversing: JournalValueCodec = {
  encode: (buf) => buf.slice().reverse(),
  decode: (buf) => Promise.resolve(buf.slice().reverse()),
};

/** A provider that counts its calls. */
function countingProvider() {
  const provider = Object.assign(
    () => {
      provider.calls++;
      return Promise.resolve(reversing);
    },
    { calls: 0 },
  );
  return provider;
}

const KINDS: ReadonlyArray<[string, () => EndpointBuilder]> = [
  ["FetchEndpoint", () => new FetchEndpoint()],
  ["LambdaEndpoint", () => new LambdaEndpoint()],
  ["NodeHandlerEndpoint", () => new NodeHandlerEndpoint()],
  ["RestateEndpoint (endpoint())", () => new RestateEndpoint()],
];

/** The parameters the endpoint gives one attempt of greeter/greet. */
const attemptParams = (builder: EndpointBuilder) =>
  endpointCore(builder).params(GREET, 6, new Map(), []);

describe.each(KINDS)("journalValueCodecProvider on %s", (_name, make) => {
  it("calls the provider once, at the first invocation, and gives every attempt its codec", async () => {
    const provider = countingProvider();
    const builder = withRunner(make(), echoRunner().runner)
      .bind(greeter)
      .setLogger(silent)
      .journalValueCodecProvider(provider);
    endpointCore(builder);
    expect(provider.calls).toBe(0);
    const first = attemptParams(builder).journalValueCodec;
    // A configuration change rebuilds the core; the codec stays the one already provided.
    builder.bind(other);
    const second = attemptParams(builder).journalValueCodec;
    expect(provider.calls).toBe(1);
    expect(second).toBe(first);
    await expect(first).resolves.toBe(reversing);
  });

  it("is set by EndpointOptions.journalValueCodecProvider, and absent by default", async () => {
    const provider = countingProvider();
    const configured = applyEndpointOptions(make(), {
      services: [greeter],
      logger: silent,
      journalValueCodecProvider: provider,
    });
    await expect(attemptParams(configured).journalValueCodec).resolves.toBe(reversing);
    const plain = applyEndpointOptions(make(), { services: [greeter], logger: silent });
    expect(attemptParams(plain)).not.toHaveProperty("journalValueCodec");
  });
});

describe("createEndpointHandler({ journalValueCodecProvider })", () => {
  it("decodes the input and encodes the output of an invocation", async () => {
    const handler = createEndpointHandler({
      services: [greeter],
      logger: silent,
      journalValueCodecProvider: () => Promise.resolve(reversing),
    });
    const body = journalCase()
      .start()
      .input(inputCommand(reversing.encode(json.serialize("Till"))))
      .requestBytes();
    const res = await handler(
      new Request("http://x/invoke/greeter/greet", {
        method: "POST",
        headers: { "content-type": "application/vnd.restate.invocation.v6" },
        body,
      }),
    );
    const frames = decodeOutput(new Uint8Array(await res.arrayBuffer()));
    const output = frames.find((f) => f.type === CommandType.Output)?.message as OutputCommand;
    expect(output.result).toMatchObject({ case: "value" });
    const content = (output.result.value as { content: Uint8Array }).content;
    expect(new TextDecoder().decode(content)).toBe('"lliT olleH"');
    expect(json.deserialize(content.slice().reverse())).toBe("Hello Till");
  });
});
