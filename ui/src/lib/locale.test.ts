import { describe, expect, it } from "vitest";
import { repairNavigatorLanguage, validLocale } from "./locale";

describe("the window's language tag", () => {
  it("keeps a valid tag and reads a POSIX one", () => {
    expect(validLocale("en-GB")).toBe("en-GB");
    expect(validLocale("ru_RU.UTF-8")).toBe("ru-RU");
    expect(validLocale("zh_CN")).toBe("zh-CN");
  });

  it("falls back where there is no language", () => {
    expect(validLocale("C")).toBe("en-US");
    expect(validLocale("C.UTF-8")).toBe("en-US");
    expect(validLocale("POSIX")).toBe("en-US");
    expect(validLocale("")).toBe("en-US");
    expect(validLocale("!!")).toBe("en-US");
  });

  it("repairs a navigator that says C, so Intl accepts it", () => {
    const nav = { language: "C", languages: ["C", "de-DE"] } as unknown as Navigator;
    repairNavigatorLanguage(nav);
    expect(nav.language).toBe("en-US");
    expect(nav.languages).toEqual(["en-US", "de-DE"]);
    expect(() => new Intl.NumberFormat(nav.language)).not.toThrow();
  });
});
