import type { ErrorBody } from "./bindings";

/** What a generated command resolves with (tauri-specta's `typedError` shape). */
export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

/** Every failed backend call surfaces as an AppError with a machine-readable code. */
export class AppError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Normalises anything thrown or returned as an error into an AppError. */
export function toAppError(value: unknown): AppError {
  if (value instanceof AppError) return value;
  if (isErrorBody(value)) return new AppError(value.code, value.message);
  if (value instanceof Error) return new AppError("internal", value.message || value.name);
  if (typeof value === "string" && value.length > 0) return new AppError("internal", value);
  return new AppError("internal", "Unknown error"); // i18n-ignore: the banner titles errors by code (lib/errorText.ts)
}

/**
 * Runs a generated command and unwraps its Result: resolves with the data,
 * or rejects with an AppError (also for exceptions thrown before or during the call).
 */
export async function call<T>(run: () => Promise<Result<T, ErrorBody>>): Promise<T> {
  let result: Result<T, ErrorBody>;
  try {
    result = await run();
  } catch (e) {
    throw toAppError(e);
  }
  if (result.status === "ok") return result.data;
  throw toAppError(result.error);
}
