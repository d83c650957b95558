import { toAppError } from "./errors";

export interface ShownError {
  code: string;
  message: string;
}

class Notices {
  error = $state<ShownError | null>(null);

  /** Shows any thrown value in the error banner. */
  show(e: unknown): void {
    const err = toAppError(e);
    this.error = { code: err.code, message: err.message };
  }

  dismiss(): void {
    this.error = null;
  }
}

/** The single, dismissible error banner shared by all pages. */
export const notices = new Notices();
