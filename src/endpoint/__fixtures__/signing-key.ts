// SPDX-License-Identifier: MIT
// A fresh Ed25519 key pair in the runtime's format, to sign requests as restate-server does.
import { generateKeyPairSync, sign } from "node:crypto";

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  let out = "";
  for (; n > 0n; n /= 58n) out = BASE58[Number(n % 58n)]! + out;
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** A signing key: `id` is the `publickeyv1_…` to configure, `headers(aud)` sign one request. */
export interface SigningKey {
  readonly id: string;
  /** The request-identity headers for a request to `aud` (e.g. `/invoke/Svc/handler`). */
  headers(aud: string): Record<string, string>;
}

export function signingKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const id = `publickeyv1_${base58(raw)}`;
  return {
    id,
    headers(aud) {
      const now = Math.floor(Date.now() / 1000);
      const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
      const claims = { aud, iat: now, nbf: now - 60, exp: now + 60 };
      const input = `${part({ typ: "JWT", alg: "EdDSA", kid: id })}.${part(claims)}`;
      const signature = sign(null, Buffer.from(input), privateKey).toString("base64url");
      return { "x-restate-signature-scheme": "v1", "x-restate-jwt-v1": `${input}.${signature}` };
    },
  };
}
