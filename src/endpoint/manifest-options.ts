// SPDX-License-Identifier: MIT
// Service and handler options as manifest fields (docs/protocol.md §2.2), each checked against the
// manifest version that introduced it: v2 documentation/metadata, v3 timeouts, retention and
// flags, v4 retry policy.
import { durationToMs, type Duration } from "../definitions/duration.js";
import type { CommonOptions } from "../definitions/options.js";

/** Manifest versions this endpoint can write. */
export type ManifestVersion = 2 | 3 | 4;

type RetryOnMax = "PAUSE" | "KILL";

/** Options as the manifest spells them; shared by services and handlers. */
export interface ManifestOptions {
  documentation?: string;
  metadata?: Readonly<Record<string, string>>;
  inactivityTimeout?: number;
  abortTimeout?: number;
  journalRetention?: number;
  idempotencyRetention?: number;
  enableLazyState?: boolean;
  ingressPrivate?: boolean;
  retryPolicyInitialInterval?: number;
  retryPolicyMaxInterval?: number;
  retryPolicyMaxAttempts?: number;
  retryPolicyExponentiationFactor?: number;
  retryPolicyOnMaxAttempts?: RetryOnMax;
}

/**
 * A definition the manifest cannot describe: an option that needs a newer manifest version than
 * the runtime accepts, or an option used where it is not allowed. Discovery answers it with 500.
 *
 * @example
 * try { buildManifest(services, 2, "BIDI_STREAM"); } catch (e) { if (e instanceof ManifestError) … }
 */
export class ManifestError extends Error {
  override readonly name = "ManifestError";
}

const DURATION_OPTIONS = [
  "inactivityTimeout",
  "abortTimeout",
  "journalRetention",
  "idempotencyRetention",
] as const;
const FLAG_OPTIONS = ["enableLazyState", "ingressPrivate"] as const;

/**
 * Checks that `field` of `owner` can be written at manifest `version`.
 *
 * @internal
 * @throws {ManifestError} naming the field and the version it needs.
 * @example
 * requireVersion(2, 3, 'Service "greeter"', "inactivityTimeout"); // throws
 */
export function requireVersion(
  version: ManifestVersion,
  needed: ManifestVersion,
  owner: string,
  field: string,
): void {
  if (version < needed) {
    throw new ManifestError(
      `${owner} uses the option "${field}", which needs endpoint manifest v${needed}, but the ` +
        `Restate server accepts at most v${version}. Upgrade the Restate server or remove the option.`,
    );
  }
}

/**
 * Converts an option's duration to integer milliseconds, naming the option on failure.
 *
 * @internal
 * @throws {ManifestError} when the duration is negative or not finite.
 * @example
 * toMs({ seconds: 1.5 }, 'Service "greeter"', "abortTimeout"); // 1500
 */
export function toMs(duration: Duration, owner: string, field: string): number {
  try {
    return durationToMs(duration);
  } catch (cause) {
    throw new ManifestError(`${owner}: invalid "${field}": ${String(cause)}`, { cause });
  }
}

/**
 * Writes the options shared by services and handlers as manifest fields.
 *
 * @internal
 * @throws {ManifestError} when an option needs a newer manifest version or is invalid.
 * @example
 * describeOptions({ inactivityTimeout: { seconds: 30 } }, 3, 'Service "greeter"'); // { inactivityTimeout: 30000 }
 */
export function describeOptions(
  options: CommonOptions,
  version: ManifestVersion,
  owner: string,
): ManifestOptions {
  const out: ManifestOptions = {};
  if (options.description !== undefined) out.documentation = options.description;
  if (options.metadata !== undefined) out.metadata = { ...options.metadata };
  for (const field of DURATION_OPTIONS) {
    const value = options[field];
    if (value === undefined) continue;
    requireVersion(version, 3, owner, field);
    out[field] = toMs(value, owner, field);
  }
  for (const field of FLAG_OPTIONS) {
    const value = options[field];
    if (value === undefined) continue;
    requireVersion(version, 3, owner, field);
    out[field] = value;
  }
  const retry = options.retryPolicy;
  if (retry === undefined) return out;
  const need = (field: string) => requireVersion(version, 4, owner, `retryPolicy.${field}`);
  if (retry.initialInterval !== undefined) {
    need("initialInterval");
    out.retryPolicyInitialInterval = toMs(retry.initialInterval, owner, "initialInterval");
  }
  if (retry.maxInterval !== undefined) {
    need("maxInterval");
    out.retryPolicyMaxInterval = toMs(retry.maxInterval, owner, "maxInterval");
  }
  if (retry.maxAttempts !== undefined) {
    need("maxAttempts");
    if (!Number.isSafeInteger(retry.maxAttempts) || retry.maxAttempts < 0) {
      throw new ManifestError(`${owner}: retryPolicy.maxAttempts must be an integer >= 0`);
    }
    out.retryPolicyMaxAttempts = retry.maxAttempts;
  }
  if (retry.exponentiationFactor !== undefined) {
    need("exponentiationFactor");
    if (!Number.isFinite(retry.exponentiationFactor) || retry.exponentiationFactor <= 0) {
      throw new ManifestError(`${owner}: retryPolicy.exponentiationFactor must be a number > 0`);
    }
    out.retryPolicyExponentiationFactor = retry.exponentiationFactor;
  }
  if (retry.onMaxAttempts !== undefined) {
    need("onMaxAttempts");
    out.retryPolicyOnMaxAttempts = retry.onMaxAttempts === "kill" ? "KILL" : "PAUSE";
  }
  return out;
}
