// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import {
  HttpCallError,
  errorFromResponse,
  isHttpCallError,
  parseRetryAfter,
} from "./http-call-error.js";
import { RestateError } from "../errors.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("errorFromResponse", () => {
  it("reads the ingress's {code, message, metadata} body and source label", () => {
    const body = '{"code":418,"message":"teapot","metadata":{"a":"b"},"source":"invocation"}';
    const response = new Response(body, {
      status: 418,
      headers: { "x-restate-error-source": "invocation" },
    });
    const error = errorFromResponse(response, bytes(body));
    expect(error).toMatchObject({ status: 418, message: "teapot", body, source: "invocation" });
    expect(error.metadata).toEqual({ a: "b" });
  });

  it("counts ingress-labelled and unlabelled replies as transport", () => {
    const ingress = new Response(null, {
      status: 404,
      headers: { "x-restate-error-source": "ingress" },
    });
    const body = '{"code":404,"message":"service \'X\' not found","source":"ingress"}';
    expect(errorFromResponse(ingress, bytes(body))).toMatchObject({
      source: "transport",
      message: "service 'X' not found",
    });
    const proxy = new Response(null, { status: 502, statusText: "Bad Gateway" });
    expect(errorFromResponse(proxy, bytes("<html>bad gateway</html>"))).toMatchObject({
      source: "transport",
      message: "<html>bad gateway</html>",
    });
    expect(errorFromResponse(proxy, bytes("")).message).toBe("HTTP 502 Bad Gateway");
  });

  it("reads the admin API's {message, restate_code} body and Retry-After", () => {
    const body = '{"message":"already completed","restate_code":"META0001"}';
    const response = new Response(null, { status: 409, headers: { "retry-after": "3" } });
    expect(errorFromResponse(response, bytes(body))).toMatchObject({
      message: "already completed",
      restateCode: "META0001",
      retryAfterMs: 3000,
    });
  });
});

describe("isHttpCallError", () => {
  it("recognises instances and look-alikes from another copy of the package", () => {
    const own = new HttpCallError({ status: 500, message: "m", body: "", source: "transport" });
    expect(own).toBeInstanceOf(RestateError);
    expect(isHttpCallError(own)).toBe(true);
    const foreign = Object.assign(new Error("m"), {
      name: "HttpCallError",
      status: 500,
      source: "invocation",
    });
    expect(isHttpCallError(foreign)).toBe(true);
    expect(isHttpCallError(new Error("m"))).toBe(false);
    expect(isHttpCallError({ name: "HttpCallError", status: 1, source: "transport" })).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
