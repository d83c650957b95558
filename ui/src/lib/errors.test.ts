import { describe, expect, it } from "vitest";
import type { ErrorBody } from "./bindings";
import type { Result } from "./errors";
import { AppError, call, toAppError } from "./errors";

describe("call", () => {
  it("resolves with the data of an ok result", async () => {
    await expect(call(async (): Promise<Result<number, ErrorBody>> => ({ status: "ok", data: 42 }))).resolves.toBe(42);
  });

  it("throws an AppError carrying the backend's code and message", async () => {
    const failing = async (): Promise<Result<number, ErrorBody>> => ({
      status: "error",
      error: { code: "invalid_query", message: "unexpected ')'" },
    });
    const err = await call(failing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "invalid_query", message: "unexpected ')'" });
  });

  it("turns exceptions, including synchronous ones, into internal AppErrors", async () => {
    await expect(
      call(() => {
        throw new TypeError("window.__TAURI_INTERNALS__ is undefined");
      }),
    ).rejects.toMatchObject({ code: "internal", message: "window.__TAURI_INTERNALS__ is undefined" });
    await expect(call(() => Promise.reject(new Error("boom")))).rejects.toBeInstanceOf(AppError);
  });
});

describe("toAppError", () => {
  it("normalises what the backend or the runtime may throw", () => {
    expect(toAppError("command not found")).toMatchObject({ code: "internal", message: "command not found" });
    expect(toAppError({ code: "network", message: "timeout" })).toMatchObject({ code: "network", message: "timeout" });
    expect(toAppError(undefined)).toMatchObject({ code: "internal", message: "Unknown error" });
    const e = new AppError("conflict", "exists");
    expect(toAppError(e)).toBe(e);
  });
});
