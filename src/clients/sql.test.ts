// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { invocationQuery, journalQuery, sqlString, toInvocationRow, toJournalRow } from "./sql.js";

describe("sqlString", () => {
  it("doubles single quotes and leaves backslashes alone", () => {
    expect(sqlString("plain")).toBe("'plain'");
    expect(sqlString("O'Brien")).toBe("'O''Brien'");
    expect(sqlString("''")).toBe("''''''");
    expect(sqlString("a\\b")).toBe("'a\\b'");
    expect(sqlString("\\'; DROP TABLE x; --")).toBe("'\\''; DROP TABLE x; --'");
    expect(sqlString("")).toBe("''");
  });
});

describe("invocationQuery", () => {
  it("selects camelCase-mappable columns, newest first, 100 by default", () => {
    const sql = invocationQuery();
    expect(sql).toMatch(/^SELECT "id", "target", "target_service_name", .* FROM sys_invocation/);
    expect(sql).toContain('"retry_count"');
    expect(sql).toMatch(/ORDER BY created_at DESC LIMIT 100$/);
    expect(sql).not.toContain("WHERE");
  });

  it("escapes every filter value", () => {
    const sql = invocationQuery({
      service: "S'vc",
      handler: "h\\",
      key: "k'ey",
      idempotencyKey: "i'",
      id: "inv_'",
      status: ["running", "o'dd"],
      isCompleted: false,
      limit: 5,
    });
    expect(sql).toContain("WHERE id = 'inv_''' AND target_service_name = 'S''vc'");
    expect(sql).toContain("target_handler_name = 'h\\'");
    expect(sql).toContain("target_service_key = 'k''ey'");
    expect(sql).toContain("idempotency_key = 'i'''");
    expect(sql).toContain("status IN ('running', 'o''dd')");
    expect(sql).toContain("status <> 'completed'");
    expect(sql).toMatch(/LIMIT 5$/);
  });

  it("accepts one status, no status, and an unlimited query", () => {
    expect(invocationQuery({ status: "paused" })).toContain("WHERE status IN ('paused')");
    expect(invocationQuery({ status: [] })).toContain("WHERE FALSE");
    expect(invocationQuery({ isCompleted: true, limit: Infinity })).toMatch(
      /WHERE status = 'completed' ORDER BY created_at DESC$/,
    );
  });

  it("refuses a limit that is not a positive integer", () => {
    for (const limit of [0, -1, 1.5, NaN]) {
      expect(() => invocationQuery({ limit })).toThrow(RangeError);
    }
  });
});

describe("rows", () => {
  it("maps sys_invocation rows to camelCase with dates and defaults", () => {
    const row = toInvocationRow({
      id: "inv_1",
      target: "Obj/k/add",
      target_service_name: "Obj",
      target_service_key: "k",
      target_handler_name: "add",
      target_service_ty: "virtual_object",
      status: "backing-off",
      retry_count: 3,
      last_failure: "[500] boom",
      created_at: "2026-01-01T00:00:00.000Z",
      modified_at: "2026-01-01T00:00:01.000Z",
      unknown_column: 1,
    });
    expect(row).toEqual({
      id: "inv_1",
      target: "Obj/k/add",
      targetServiceName: "Obj",
      targetServiceKey: "k",
      targetHandlerName: "add",
      targetServiceTy: "virtual_object",
      status: "backing-off",
      retryCount: 3,
      lastFailure: "[500] boom",
      createdAt: new Date("2026-01-01T00:00:00.000Z"),
      modifiedAt: new Date("2026-01-01T00:00:01.000Z"),
    });
    expect(toInvocationRow({ id: "inv_2", retry_count: null }).retryCount).toBe(0);
  });

  it("decodes the journal's hex-encoded raw bytes", () => {
    const row = toJournalRow({ index: 1, entry_type: "Command: Run", raw: "5801620473746570" });
    expect(row.raw).toEqual(new Uint8Array([0x58, 0x01, 0x62, 0x04, 0x73, 0x74, 0x65, 0x70]));
    expect(row).toMatchObject({ index: 1, entryType: "Command: Run" });
    expect(() => toJournalRow({ raw: "abc" })).toThrow(TypeError);
    expect(() => toJournalRow({ raw: "zz" })).toThrow(TypeError);
    expect(() => toJournalRow({ index: "1" })).toThrow(TypeError);
  });

  it("queries one journal in index order", () => {
    expect(journalQuery("inv_'x")).toMatch(
      /^SELECT "index", "entry_type", .*"raw".* FROM sys_journal WHERE id = 'inv_''x' ORDER BY "index"$/,
    );
  });
});
