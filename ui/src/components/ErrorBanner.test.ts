// The error banner every page shares: a failed backend call (an AppError, or the `{code, message}` body the
// commands reject with) shows its code's title in the interface's language and the backend's message as it
// was sent; Dismiss clears it.
import { fireEvent, render } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../lib/errors";
import { i18n } from "../lib/i18n.svelte";
import { notices } from "../lib/notices.svelte";
import ErrorBanner from "./ErrorBanner.svelte";

const MESSAGE = "no topic named 'Энергетика «2025»'";

afterEach(() => {
  notices.dismiss();
  i18n.set("system");
});

describe("ErrorBanner", () => {
  it("shows nothing while there is no error", () => {
    const { queryByTestId } = render(ErrorBanner);
    expect(queryByTestId("error")).toBeNull();
  });

  it("titles the error by its code and shows the backend's message verbatim", () => {
    notices.show(new AppError("not_found", MESSAGE));
    const { getByTestId } = render(ErrorBanner);
    const banner = getByTestId("error");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.classList.contains("error-banner")).toBe(true);
    const code = banner.querySelector(".error-code")!;
    expect(code.textContent).toBe("Not found");
    // The raw code stays at hand for a bug report.
    expect(code.getAttribute("title")).toBe("not_found");
    expect(banner.querySelector(".error-message")!.textContent).toBe(MESSAGE);
  });

  it("reads a command's error body the same way", () => {
    notices.show({ code: "invalid_query", message: "invalid query: expected ')' at column 15" });
    const { getByTestId } = render(ErrorBanner);
    expect(getByTestId("error").querySelector(".error-code")!.textContent).toBe("Query error");
    expect(getByTestId("error").querySelector(".error-message")!.textContent).toBe("invalid query: expected ')' at column 15");
  });

  it("shows a code it has no title for as it is", () => {
    notices.show(new AppError("quota", "too many requests"));
    const { getByTestId } = render(ErrorBanner);
    expect(getByTestId("error").querySelector(".error-code")!.textContent).toBe("quota");
  });

  it("follows a switch to Russian, leaving the backend's message as it is", async () => {
    notices.show(new AppError("network", MESSAGE));
    const { getByTestId, getByRole } = render(ErrorBanner);
    expect(getByTestId("error").querySelector(".error-code")!.textContent).toBe("Network error");
    i18n.set("ru");
    await tick();
    const banner = getByTestId("error");
    expect(banner.querySelector(".error-code")!.textContent).toBe("Ошибка сети");
    expect(banner.querySelector(".error-message")!.textContent).toBe(MESSAGE);
    const dismiss = getByRole("button", { name: "Скрыть ошибку" });
    expect(dismiss.textContent).toBe("Скрыть");
  });

  it("clears the error when dismissed", async () => {
    notices.show(new AppError("storage", "database is locked"));
    const { getByRole, queryByTestId } = render(ErrorBanner);
    const dismiss = getByRole("button", { name: "Dismiss error" });
    expect(dismiss.textContent).toBe("Dismiss");
    await fireEvent.click(dismiss);
    expect(notices.error).toBeNull();
    expect(queryByTestId("error")).toBeNull();
  });

  it("shows the newest error in place of the one before", async () => {
    notices.show(new AppError("conflict", "a topic named 'Energy' exists already"));
    const { getAllByTestId } = render(ErrorBanner);
    notices.show(new AppError("cancelled", "cancelled"));
    await tick();
    const banners = getAllByTestId("error");
    expect(banners).toHaveLength(1);
    expect(banners[0].querySelector(".error-code")!.textContent).toBe("Cancelled");
  });
});
