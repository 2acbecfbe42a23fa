// SPDX-License-Identifier: MIT
// Watching durable promises settle without awaiting them (an await would hang on one that must
// stay pending), and letting settled awaits run their continuations.

/** How a promise has settled so far; read it after {@link flush}. */
export function observe<T>(promise: PromiseLike<T>): {
  value?: T;
  error?: unknown;
  settled: boolean;
} {
  const seen: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(seen, { value, settled: true }),
    (error: unknown) => Object.assign(seen, { error, settled: true }),
  );
  return seen;
}

/** Lets settled awaits run their continuations (a few microtask turns; no timer fires). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
