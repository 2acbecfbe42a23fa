// SPDX-License-Identifier: MIT
// Messages between the harness and an endpoint child over the IPC channel.

/** Heap figures after a forced full GC. */
export interface HeapSample {
  readonly heapUsed: number;
  readonly rss: number;
}

/** Child → harness. */
export type ChildMessage =
  | { readonly type: "ready"; readonly port: number }
  | { readonly type: "heap"; readonly heap: HeapSample };

/** Harness → child. */
export interface HarnessMessage {
  readonly type: "heap";
}
