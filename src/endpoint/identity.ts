// SPDX-License-Identifier: MIT
/**
 * Request identity: checks that a request was signed by a Restate runtime holding one of the
 * configured keys (docs/protocol.md §12).
 *
 * Uses Web Crypto only (no `node:crypto`), so the same code runs on Node 20+, Workers, Deno and Bun.
 *
 * @module
 */
import { decodeBase64Url } from "../journal/ids.js";
import { PREVIEW_PATH } from "./request-parser.js";

const KEY_PREFIX = "publickeyv1_";
const ED25519_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const SCHEME_HEADER = "x-restate-signature-scheme";
const JWT_HEADER = "x-restate-jwt-v1";
const REQUIRED_CLAIMS = ["aud", "exp", "iat", "nbf"] as const;

/** Outcome of a check; `reason` says what was wrong, for logs and the 401 body. */
export type IdentityResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Checks the identity headers of one request. */
export interface IdentityVerifier {
  /**
   * @param path - request path (no query), possibly under a mount prefix.
   * @param headers - request headers; a `Headers` object fits.
   * @throws if the configured keys could not be imported (the runtime lacks Ed25519).
   */
  verify(path: string, headers: { get(name: string): string | null }): Promise<IdentityResult>;
}

/** Options of {@link createIdentityVerifier}. */
export interface IdentityVerifierOptions {
  /** Current time in seconds since the epoch; injected by tests. */
  readonly now: () => number;
}

const IDENTITY_VERIFIER_DEFAULTS: IdentityVerifierOptions = Object.freeze({
  now: () => Date.now() / 1000,
});

type VerifyKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

interface ImportedKey {
  readonly id: string;
  readonly key: VerifyKey;
}

interface Jwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
}

const OK: IdentityResult = Object.freeze({ ok: true });
const fail = (reason: string): IdentityResult => ({ ok: false, reason });

/**
 * Creates a verifier for requests signed with any of `publicKeys`; with no keys, every request is
 * accepted (signing is opt-in on the runtime).
 *
 * @param publicKeys - keys as printed by the runtime: `publickeyv1_` + base58 of the raw key.
 * @throws Error if a key is malformed.
 * @see https://docs.restate.dev/operate/security
 * @example
 * const verifier = createIdentityVerifier(["publickeyv1_5AZDcbLjm4Rx9bnq11FZxoaBeyCP424w4dpHyhBY46QJ"]);
 * const result = await verifier.verify(new URL(req.url).pathname, req.headers);
 * if (!result.ok) return new Response(result.reason, { status: 401 });
 */
export function createIdentityVerifier(
  publicKeys: readonly string[],
  options: Partial<IdentityVerifierOptions> = {},
): IdentityVerifier {
  const { now } = { ...IDENTITY_VERIFIER_DEFAULTS, ...options };
  const parsed = publicKeys.map((id) => ({ id, bytes: parsePublicKey(id) }));
  if (parsed.length === 0) return { verify: () => Promise.resolve(OK) };

  // Imported once; awaited by the first verify. The no-op catch keeps a failure (a runtime
  // without Ed25519) from being an unhandled rejection when no request ever arrives; verify
  // still sees and rethrows it.
  const keys = Promise.all(
    parsed.map(async ({ id, bytes }): Promise<ImportedKey> => {
      const key = await crypto.subtle.importKey("raw", bytes, { name: "Ed25519" }, false, [
        "verify",
      ]);
      return { id, key };
    }),
  );
  keys.catch(() => undefined);

  return {
    async verify(path, headers) {
      const scheme = headers.get(SCHEME_HEADER);
      if (scheme === null) return fail(`missing ${SCHEME_HEADER} header`);
      if (scheme === "unsigned") return fail("request is unsigned, but signing is required");
      if (scheme !== "v1") return fail(`unknown signature scheme ${JSON.stringify(scheme)}`);
      const token = headers.get(JWT_HEADER);
      if (token === null) return fail(`missing ${JWT_HEADER} header`);

      const jwt = parseJwt(token);
      if (typeof jwt === "string") return fail(`malformed JWT: ${jwt}`);
      if (jwt.header["alg"] !== "EdDSA") {
        return fail(`wrong JWT alg ${JSON.stringify(jwt.header["alg"])}, expected "EdDSA"`);
      }
      if (!(await isSignedByAny(await keys, jwt))) {
        return fail("bad signature: no configured public key verifies the JWT");
      }
      return checkClaims(jwt.claims, now(), identityAudience(path));
    },
  };
}

/**
 * The `aud` a request must carry: `/invoke/{service}/{handler}` (last three segments) for
 * invocations, `/discover` for discovery, `/serdes/…` for serde previews, else the path. Taking
 * only the tail lets the endpoint be mounted under a prefix, since the runtime signs the route
 * without it.
 *
 * @internal
 */
export function identityAudience(path: string): string {
  // First, as in the request parser: a serde name may end in `invoke/…` or `discover`.
  const preview = PREVIEW_PATH.exec(path);
  if (preview !== null) {
    const tail = path.slice(preview.index);
    return tail.startsWith("/") ? tail : `/${tail}`;
  }
  const segments = path.split("/");
  const n = segments.length;
  if (n >= 3 && segments[n - 3] === "invoke") {
    return `/invoke/${segments[n - 2] ?? ""}/${segments[n - 1] ?? ""}`;
  }
  if (segments[n - 1] === "discover") return "/discover";
  return path;
}

async function isSignedByAny(keys: readonly ImportedKey[], jwt: Jwt): Promise<boolean> {
  if (jwt.signature.length !== ED25519_SIGNATURE_SIZE) return false;
  // `kid` is only a hint: try the key it names first, then the others.
  const kid = jwt.header["kid"];
  const ordered = [...keys].sort((a, b) => Number(b.id === kid) - Number(a.id === kid));
  for (const { key } of ordered) {
    const data = jwt.signingInput;
    if (await crypto.subtle.verify({ name: "Ed25519" }, key, jwt.signature, data)) return true;
  }
  return false;
}

/** Checks presence, time window (zero leeway, RFC 7519 §4.1.4–5) and audience. */
function checkClaims(
  claims: Readonly<Record<string, unknown>>,
  now: number,
  audience: string,
): IdentityResult {
  for (const name of REQUIRED_CLAIMS) {
    if (claims[name] === undefined) return fail(`missing claim "${name}"`);
  }
  const { aud, exp, nbf, iat } = claims;
  for (const [name, value] of [
    ["exp", exp],
    ["nbf", nbf],
    ["iat", iat],
  ] as const) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return fail(`malformed JWT: claim "${name}" is not a number`);
    }
  }
  if (now >= (exp as number)) return fail(`token expired at ${String(exp)} (now ${now})`);
  if (now < (nbf as number)) return fail(`token not yet valid before ${String(nbf)} (now ${now})`);
  const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : undefined;
  if (audiences === undefined || !audiences.every((a) => typeof a === "string")) {
    return fail('malformed JWT: claim "aud" is not a string');
  }
  if (!audiences.includes(audience)) {
    return fail(`audience mismatch: token is for ${JSON.stringify(aud)}, request is ${audience}`);
  }
  return OK;
}

/** Splits and decodes a compact JWS; returns what is wrong as a string. */
function parseJwt(token: string): Jwt | string {
  const parts = token.split(".");
  if (parts.length !== 3) return `expected 3 dot-separated parts, got ${parts.length}`;
  const [headerText = "", claimsText = "", signatureText = ""] = parts;
  const header = decodeJsonObject(headerText);
  if (header === undefined) return "header is not a base64url JSON object";
  const claims = decodeJsonObject(claimsText);
  if (claims === undefined) return "claims are not a base64url JSON object";
  const signature = decodeBase64Url(signatureText);
  if (signature === undefined) return "signature is not base64url";
  // The parts were just checked to be base64url, hence ASCII: UTF-8 encoding is their bytes.
  const signingInput = new TextEncoder().encode(`${headerText}.${claimsText}`);
  return { header, claims, signingInput, signature };
}

function decodeJsonObject(text: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64Url(text);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Raw 32-byte Ed25519 key of a `publickeyv1_…` string. */
function parsePublicKey(text: string): Uint8Array {
  const invalid = (why: string): Error =>
    new Error(
      `invalid Restate public key ${JSON.stringify(text)}: ${why} ` +
        `(expected "${KEY_PREFIX}" followed by the base58 of a ${ED25519_KEY_SIZE}-byte Ed25519 key)`,
    );
  if (!text.startsWith(KEY_PREFIX)) throw invalid(`missing prefix "${KEY_PREFIX}"`);
  const bytes = decodeBase58(text.slice(KEY_PREFIX.length));
  if (bytes === undefined) throw invalid("not base58");
  if (bytes.length !== ED25519_KEY_SIZE) throw invalid(`decodes to ${bytes.length} bytes`);
  return bytes;
}

/** Base58 (Bitcoin alphabet): each leading "1" is a zero byte, the rest a big-endian number. */
function decodeBase58(text: string): Uint8Array | undefined {
  // Little-endian base-256 digits of the number, grown by `× 58 + digit` per character.
  const digits: number[] = [];
  for (const char of text) {
    let carry = BASE58.indexOf(char);
    if (carry < 0) return undefined;
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] ?? 0) * 58;
      digits[i] = carry & 0xff;
      carry >>>= 8;
    }
    for (; carry > 0; carry >>>= 8) digits.push(carry & 0xff);
  }
  let zeros = 0;
  while (text[zeros] === "1") zeros++;
  const out = new Uint8Array(zeros + digits.length);
  for (let i = 0; i < digits.length; i++) out[out.length - 1 - i] = digits[i] ?? 0;
  return out;
}
