// SPDX-License-Identifier: MIT
// What restate-hono still lacks to be a drop-in replacement for @restatedev/restate-sdk 1.17.2,
// as found by the compatibility check (compat.test.ts). Each entry explains the differences its
// pattern matches: an export line (`export missing: restate-hono/fetch Opts`) or a corpus
// diagnostic (`file.ts:line TScode | source line | message`). The list only shrinks: once a gap is
// closed the check fails until its entry is deleted here. The aim is an empty list.

/** One feature or name still missing, and who is on it. */
export interface KnownGap {
  readonly what: string;
  readonly owner: "api" | "endpoint" | "obs" | "compat";
  readonly match: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A gap made of missing names: their export lines on every entry point, the "no exported member"
 * diagnostics of their imports, and any further diagnostic whose text matches `also`.
 */
function names(
  owner: KnownGap["owner"],
  what: string,
  missing: readonly string[],
  also?: RegExp,
): KnownGap {
  const list = missing.map(escape).join("|");
  const sources = [
    `^export [^:]+: restate-hono(/[a-z]+)? (${list})$`,
    `exported member (named )?'(${list})'`,
    `Property '(${list})' does not exist on type 'typeof import`,
  ];
  if (also !== undefined) sources.push(also.source);
  return { what, owner, match: new RegExp(sources.join("|")) };
}

export const KNOWN_GAPS: readonly KnownGap[] = [
  // api: options, interfaces, errors and the context.
  names(
    "api",
    "interface-first definitions: iface, implement, descriptors, ctx.client()/sendClient()",
    [
      "iface",
      "implement",
      "ClientFromDescriptors",
      "SendClientFromDescriptors",
      "Descriptor",
      "DescriptorOpts",
      "HandlerDescriptor",
      "ServiceDescriptor",
      "ObjectDescriptor",
      "WorkflowDescriptor",
      "ServiceInterface",
      "ImplementedDefinition",
      "ImplementedServiceDefinition",
      "ImplementedObjectDefinition",
      "ImplementedWorkflowDefinition",
      "InferInput",
      "InferOutput",
      "FnOf",
      "ServiceImplHandlers",
      "ObjectImplHandlers",
      "WorkflowImplHandlers",
      "ServicePerHandlerOpts",
      "ObjectPerHandlerOpts",
      "WorkflowPerHandlerOpts",
    ],
    /^interfaces\.ts:/,
  ),
  {
    what:
      "internal.ContextInternal (isProcessing, cancellation, cancelPreviousCalls): needs the " +
      "context to implement explicit cancellation",
    owner: "api",
    match: /has no exported member 'ContextInternal'/,
  },
  // endpoint: entry points and endpoint builders.
  {
    what: "journalValueCodecProvider on the endpoint builders and in EndpointOptions",
    owner: "endpoint",
    match: /'journalValueCodecProvider' does not exist/,
  },
];
