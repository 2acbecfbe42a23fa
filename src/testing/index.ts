// SPDX-License-Identifier: MIT
/**
 * `restate-hono/testing`: an in-memory Restate runtime for unit tests. It plays the server's role
 * and drives the real engine, so handlers are journaled, suspended and replayed as in production,
 * in milliseconds, on a virtual clock.
 *
 * @example
 * import { TestEnvironment } from "restate-hono/testing";
 *
 * const env = await TestEnvironment.start({ services: [greeter, cart], seed: 42 });
 * expect(await env.serviceClient(greeter).greet("Till")).toBe("Hello Till");
 * @module
 */

export { TestEnvironment } from "./environment.js";
export {
  TEST_ENVIRONMENT_DEFAULTS,
  type TestEnvironmentOptions,
  type InvocationRef,
  type InvocationInfo,
} from "./environment-options.js";
export type {
  IngressClient,
  IngressSendClient,
  IngressCallOptions,
  IngressSendOptions,
  SendHandle,
  IsTyped,
  IngressArgs,
} from "./clients.js";
export type { WorkflowRunOutput } from "./environment.js";
export type { Named } from "./ingress.js";
export type { ProtocolVersion } from "../journal/vm-types.js";
export type { TestDuration } from "./duration.js";
export type { StateAccess } from "./state-access.js";
export type { WorkflowAccess, WorkflowPromiseAccess } from "./workflow-access.js";
export {
  MockService,
  MockHandler,
  type MockCall,
  type MockImplementation,
  type MockHandlerName,
  type MockInput,
  type MockOutput,
} from "./mocks.js";
export type { JournalEntry, JournalEntryType } from "./journal-view.js";
export type { InjectionFilter } from "./injections.js";
export type { InvocationStatus, AttemptFailure } from "./invocation.js";
export { NonDeterminismError, InvocationPausedError } from "./reported-errors.js";
export {
  replayJournal,
  fromFrames,
  fromSysJournal,
  type RecordedJournal,
  type RecordedEntry,
  type SysJournalRow,
  type ReplayReport,
  type ReplayOptions,
} from "./replay-journal.js";
export {
  loadRecording,
  toRecordingJson,
  RECORDING_FORMAT,
  type RecordingFile,
  type LoadedRecording,
} from "./recording-file.js";
export {
  mockContext,
  type ContextFlavour,
  type ContextOf,
  type MockContextOptions,
  type MockContextHarness,
} from "./mock-context.js";
