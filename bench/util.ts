// SPDX-License-Identifier: MIT
// Progress logging (stderr, so stdout carries only the table) and small helpers.

const started = performance.now();

/** A progress line on stderr, stamped with seconds since start. */
export function log(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** `items` rotated left by `by` positions. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const shift = ((by % n) + n) % n;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
