// SPDX-License-Identifier: MIT
// Serving on Node: the endpoint builder with every method, serve(), createEndpointHandler() for
// http and http2 servers, the logger transport and the hooks.
import * as http from "node:http";
import * as http2 from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import {
  LoggerContext,
  LogSource,
  RestateLogLevel,
  type DefaultServiceOptions,
  type EndpointOptions,
  type Hooks,
  type HooksProvider,
  type Interceptor,
  type JournalValueCodec,
  type LogMetadata,
  type LoggerTransport,
  type RestateEndpoint,
  type RestateEndpointBase,
} from "@restatedev/restate-sdk";
import * as node from "@restatedev/restate-sdk/node";
import { counter, greeter, signup } from "./services.js";

export const logger: LoggerTransport = (
  meta: LogMetadata,
  message?: unknown,
  ...rest: unknown[]
) => {
  if (meta.replaying) return;
  const source: LogSource = meta.source;
  const level: RestateLogLevel = meta.level;
  const context: LoggerContext | undefined = meta.context;
  const where = context
    ? `${context.invocationTarget} ${context.invocationId} ${context.serviceName}/${context.handlerName}` +
      ` ${context.key ?? ""} ${context.request?.id ?? ""} ${JSON.stringify(context.additionalContext)}`
    : "";
  if (source === LogSource.USER && level === RestateLogLevel.ERROR) console.error(where, message);
  else if (level === RestateLogLevel.WARN || level === RestateLogLevel.INFO) console.log(message);
  else if (level === RestateLogLevel.DEBUG || level === RestateLogLevel.TRACE) console.debug(rest);
  else if (source === LogSource.SYSTEM || source === LogSource.JOURNAL) console.log(where);
};

export const loggerContext = new LoggerContext("inv_1", "Greeter", "greet", undefined, undefined, {
  tenant: "t1",
});

const interceptor: Interceptor = {
  handler: async (next) => next(),
  run: async (_name, next) => next(),
};
const hooks: Hooks = { interceptor };
export const provider: HooksProvider = () => hooks;

export const codec: JournalValueCodec = {
  encode: (buf) => buf,
  decode: async (buf) => buf,
};

const defaults: DefaultServiceOptions = {
  journalRetention: { days: 1 },
  enableLazyState: true,
  workflowRetention: { days: 3 },
  hooks: [provider],
};

export async function serveWithBuilder(): Promise<number> {
  const builder: RestateEndpoint = restate
    .endpoint()
    .bind(greeter)
    .bind(counter)
    .bind(signup)
    .withIdentityV1("publickeyv1_example")
    .defaultServiceOptions(defaults)
    .setLogger(logger)
    .journalValueCodecProvider(async () => codec);
  const base: RestateEndpointBase<RestateEndpoint> = builder;
  base.bind(greeter);
  http2.createServer(builder.http2Handler()).listen(9081);
  http2.createServer(builder.http2Handler({ bidirectional: true })).listen(9082);
  http.createServer(builder.http1Handler()).listen(9083);
  http.createServer(builder.http1Handler({ bidirectional: false })).listen(9084);
  http.createServer(builder.handler()).listen(9085);
  http2.createServer(builder.handler({ bidirectional: true })).listen(9086);
  return builder.listen(9080);
}

export async function serveWithNodeEntry(): Promise<number> {
  const options: node.NodeEndpointOptions = {
    services: [greeter, counter, signup],
    identityKeys: ["publickeyv1_example"],
    defaultServiceOptions: defaults,
    logger,
    journalValueCodecProvider: async () => codec,
    bidirectional: true,
  };
  const handler = node.createEndpointHandler(options);
  http2.createServer(handler).listen(9087);
  http.createServer(restate.createEndpointHandler({ services: [greeter] })).listen(9088);
  const legacy: node.RestateEndpoint = node.endpoint().bind(greeter);
  await legacy.listen();
  const serveOptions: restate.ServeOptions = { services: [greeter], port: 9089, logger };
  const port: number = await restate.serve(serveOptions);
  return port + (await node.serve({ services: [counter] }));
}

export const endpointOptions: EndpointOptions = { services: [greeter, counter, signup] };
