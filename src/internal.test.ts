// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { RestateError } from "./errors.js";
import { internal } from "./public-api.js";

describe("internal", () => {
  it("tells a suspension (code 599) from other errors, as the official internal namespace", () => {
    expect(internal.isSuspendedError(new RestateError("suspended", { errorCode: 599 }))).toBe(true);
    expect(internal.isSuspendedError(new RestateError("failed"))).toBe(false);
    expect(internal.isSuspendedError({ code: 599 })).toBe(false);
  });
});
