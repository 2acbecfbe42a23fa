// SPDX-License-Identifier: MIT
import { webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createIdentityVerifier, identityAudience } from "./identity.js";
import type { IdentityResult } from "./identity.js";

// docs/protocol.md Appendix A.9, captured from runtime 1.7.12.
const A9_KEY = "publickeyv1_5AZDcbLjm4Rx9bnq11FZxoaBeyCP424w4dpHyhBY46QJ";
const A9_TOKEN =
  "eyJ0eXAiOiJKV1QiLCJhbGciOiJFZERTQSIsImtpZCI6InB1YmxpY2tleXYxXzVBWkRjYkxqbTRSeDlibnExMUZaeG9hQmV5Q1A0MjR3NGRwSHloQlk0NlFKIn0" +
  ".eyJhdWQiOiIvaW52b2tlL015U2VydmljZS9iaWRpIiwiZXhwIjoxNzk1NDEyMDM2LCJpYXQiOjE3OTU0MTE5NzYsIm5iZiI6MTc5NTQxMTkxNn0" +
  ".QRyi7K1lLVoeZygqXnUZggGQicoo9ibp74nw3dUMJ6hfD0sdlwLx8ovL-kHWl4I9Ls_EsGDk0KzBw-S1A_d8Aw";
const A9_PATH = "/invoke/MyService/bidi";
const A9_IAT = 1795411976;

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58(bytes: Uint8Array): string {
  let n = BigInt("0x" + (Buffer.from(bytes).toString("hex") || "0"));
  let out = "";
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}

const b64url = (data: string | Uint8Array): string => Buffer.from(data).toString("base64url");

function signed(scheme: string | null, jwt: string | null): Headers {
  const headers = new Headers();
  if (scheme !== null) headers.set("x-restate-signature-scheme", scheme);
  if (jwt !== null) headers.set("x-restate-jwt-v1", jwt);
  return headers;
}

interface TestKey {
  readonly id: string;
  sign(claims: object, header?: object): Promise<string>;
}

async function makeKey(): Promise<TestKey> {
  const pair = (await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const raw = new Uint8Array(await webcrypto.subtle.exportKey("raw", pair.publicKey));
  const id = "publickeyv1_" + base58(raw);
  return {
    id,
    async sign(claims, header = { typ: "JWT", alg: "EdDSA", kid: id }) {
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      const signature = await webcrypto.subtle.sign(
        { name: "Ed25519" },
        pair.privateKey,
        new TextEncoder().encode(input),
      );
      return `${input}.${b64url(new Uint8Array(signature))}`;
    },
  };
}

const NOW = 1_800_000_000;
const claimsFor = (aud: string | string[]): Record<string, unknown> => ({
  aud,
  exp: NOW + 60,
  iat: NOW,
  nbf: NOW - 60,
});

function expectRejected(result: IdentityResult, reason: RegExp): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.reason).toMatch(reason);
}

describe("A.9 token from a real runtime", () => {
  it("verifies inside its validity window", async () => {
    for (const now of [A9_IAT, 1795411916, 1795412035]) {
      const verifier = createIdentityVerifier([A9_KEY], { now: () => now });
      expect(await verifier.verify(A9_PATH, signed("v1", A9_TOKEN))).toEqual({ ok: true });
    }
  });

  it("is expired with the real clock", async () => {
    const result = await createIdentityVerifier([A9_KEY]).verify(A9_PATH, signed("v1", A9_TOKEN));
    // Appendix A.9 notes the token is expired; the clock here is past 1795412036.
    expectRejected(result, /^token expired/);
  });

  it("is rejected at exp and before nbf (zero leeway)", async () => {
    const at = (now: number) => createIdentityVerifier([A9_KEY], { now: () => now });
    expectRejected(await at(1795412036).verify(A9_PATH, signed("v1", A9_TOKEN)), /expired/);
    expectRejected(await at(1795411915).verify(A9_PATH, signed("v1", A9_TOKEN)), /not yet valid/);
  });

  it("fails when the payload or the signature is tampered with", async () => {
    const verifier = createIdentityVerifier([A9_KEY], { now: () => A9_IAT });
    const [header = "", claims = "", signature = ""] = A9_TOKEN.split(".");
    const forged = b64url(
      JSON.stringify({ aud: "/invoke/MyService/other", exp: 1795412036, iat: A9_IAT, nbf: 1 }),
    );
    const flipped = (signature[0] === "Q" ? "R" : "Q") + signature.slice(1);
    for (const token of [`${header}.${forged}.${signature}`, `${header}.${claims}.${flipped}`]) {
      expectRejected(await verifier.verify(A9_PATH, signed("v1", token)), /^bad signature/);
    }
  });
});

describe("createIdentityVerifier", () => {
  let key: TestKey;
  let other: TestKey;
  const verifier = () => createIdentityVerifier([key.id], { now: () => NOW });

  beforeAll(async () => {
    [key, other] = await Promise.all([makeKey(), makeKey()]);
  });

  it("accepts everything when no keys are configured", async () => {
    const open = createIdentityVerifier([]);
    expect(await open.verify("/invoke/A/b", new Headers())).toEqual({ ok: true });
  });

  it("accepts a freshly signed token", async () => {
    const token = await key.sign(claimsFor("/invoke/A/b"));
    expect(await verifier().verify("/invoke/A/b", signed("v1", token))).toEqual({ ok: true });
  });

  it("accepts a token signed by any configured key, whatever its kid", async () => {
    const both = createIdentityVerifier([key.id, other.id], { now: () => NOW });
    const token = await other.sign(claimsFor("/discover"), { alg: "EdDSA", kid: key.id });
    expect(await both.verify("/discover", signed("v1", token))).toEqual({ ok: true });
  });

  it("rejects a token signed by a key that is not configured", async () => {
    const token = await other.sign(claimsFor("/invoke/A/b"));
    expectRejected(await verifier().verify("/invoke/A/b", signed("v1", token)), /^bad signature/);
  });

  it.each([
    [null, null, /^missing x-restate-signature-scheme header$/],
    ["unsigned", null, /unsigned/],
    ["v2", "a.b.c", /^unknown signature scheme "v2"$/],
    ["v1", null, /^missing x-restate-jwt-v1 header$/],
    ["v1", "a.b", /^malformed JWT: expected 3 dot-separated parts/],
    ["v1", "!!.e30.AA", /^malformed JWT: header/],
    ["v1", `${b64url("[1]")}.e30.AA`, /^malformed JWT: header/],
    ["v1", `${b64url("{")}.e30.AA`, /^malformed JWT: header/],
    ["v1", `${b64url('{"alg":"EdDSA"}')}.${b64url("null")}.AA`, /^malformed JWT: claims/],
    ["v1", `${b64url('{"alg":"EdDSA"}')}.e30.A+A`, /^malformed JWT: signature/],
    ["v1", `${b64url('{"alg":"EdDSA"}')}.e30.AA`, /^bad signature/],
  ])("rejects scheme %j with jwt %j", async (scheme, jwt, reason) => {
    expectRejected(await verifier().verify("/invoke/A/b", signed(scheme, jwt)), reason);
  });

  it("rejects a wrong alg before checking the signature", async () => {
    for (const alg of ["HS256", "none", undefined]) {
      const token = await key.sign(claimsFor("/invoke/A/b"), { typ: "JWT", alg });
      expectRejected(await verifier().verify("/invoke/A/b", signed("v1", token)), /^wrong JWT alg/);
    }
  });

  it.each(["aud", "exp", "iat", "nbf"])("rejects a token without %s", async (claim) => {
    const claims = claimsFor("/invoke/A/b");
    delete claims[claim];
    const token = await key.sign(claims);
    expectRejected(
      await verifier().verify("/invoke/A/b", signed("v1", token)),
      new RegExp(`^missing claim "${claim}"$`),
    );
  });

  it("rejects non-numeric times and a non-string audience", async () => {
    for (const [patch, reason] of [
      [{ exp: "soon" }, /claim "exp" is not a number/],
      [{ aud: 42 }, /claim "aud" is not a string/],
    ] as const) {
      const token = await key.sign({ ...claimsFor("/invoke/A/b"), ...patch });
      expectRejected(await verifier().verify("/invoke/A/b", signed("v1", token)), reason);
    }
  });

  it("rejects expired and not-yet-valid tokens", async () => {
    const token = await key.sign(claimsFor("/invoke/A/b"));
    const at = (now: number) => createIdentityVerifier([key.id], { now: () => now });
    expect((await at(NOW + 59.999).verify("/invoke/A/b", signed("v1", token))).ok).toBe(true);
    expectRejected(await at(NOW + 60).verify("/invoke/A/b", signed("v1", token)), /expired/);
    expect((await at(NOW - 60).verify("/invoke/A/b", signed("v1", token))).ok).toBe(true);
    expectRejected(await at(NOW - 61).verify("/invoke/A/b", signed("v1", token)), /not yet/);
  });

  it("binds the token to the handler, also under a mount prefix", async () => {
    const token = await key.sign(claimsFor("/invoke/A/b"));
    const v = verifier();
    expect((await v.verify("/prefix/invoke/A/b", signed("v1", token))).ok).toBe(true);
    expectRejected(
      await v.verify("/prefix/invoke/A/c", signed("v1", token)),
      /^audience mismatch: token is for "\/invoke\/A\/b", request is \/invoke\/A\/c$/,
    );
    expectRejected(await v.verify("/discover", signed("v1", token)), /^audience mismatch/);
  });

  it("accepts discovery under a prefix and an audience array", async () => {
    const token = await key.sign(claimsFor(["/other", "/discover"]));
    expect((await verifier().verify("/restate/discover", signed("v1", token))).ok).toBe(true);
  });

  it("rejects malformed keys at construction", () => {
    expect(() => createIdentityVerifier(["5AZDcbLjm4Rx9bnq11FZxoaBeyCP424w4dpHyhBY46QJ"])).toThrow(
      /missing prefix "publickeyv1_"/,
    );
    expect(() => createIdentityVerifier(["publickeyv1_0OIl"])).toThrow(/not base58/);
    expect(() => createIdentityVerifier(["publickeyv1_5AZDcbLjm4Rx9bnq"])).toThrow(
      /decodes to \d+ bytes/,
    );
    expect(() => createIdentityVerifier(["publickeyv1_"])).toThrow(/decodes to 0 bytes/);
  });

  it("decodes keys with leading zero bytes", async () => {
    // 32 zero bytes is "1" × 32; Ed25519 import may reject it, but parsing must not.
    expect(base58(new Uint8Array(32))).toBe("1".repeat(32));
    const v = createIdentityVerifier(["publickeyv1_" + "1".repeat(32)], { now: () => NOW });
    const token = await key.sign(claimsFor("/invoke/A/b"));
    const result = await v.verify("/invoke/A/b", signed("v1", token)).catch(() => undefined);
    expect(result === undefined || !result.ok).toBe(true);
  });
});

describe("identityAudience", () => {
  it.each([
    ["/invoke/A/b", "/invoke/A/b"],
    ["/prefix/invoke/A/b", "/invoke/A/b"],
    ["/a/b/invoke/Svc/handler", "/invoke/Svc/handler"],
    ["/discover", "/discover"],
    ["/prefix/discover", "/discover"],
    ["/health", "/health"],
    ["/invoke/A", "/invoke/A"],
    ["/", "/"],
    ["/serdes/A/decode/h/input", "/serdes/A/decode/h/input"],
    ["/prefix/serdes/A/encode/h%2Finput", "/serdes/A/encode/h%2Finput"],
    ["/serdes/A/decode/invoke/B/c", "/serdes/A/decode/invoke/B/c"],
  ])("%s → %s", (path, audience) => {
    expect(identityAudience(path)).toBe(audience);
  });
});
