import type { Key } from "../i18n/catalogues";
import { t } from "./i18n.svelte";

/** The backend's error codes (crates/mediawatch-core/src/error.rs), each with a title in the catalogues. */
const CODES = ["invalid_input", "invalid_query", "not_found", "conflict", "network", "parse", "storage", "cancelled", "internal"];

/**
 * The banner's title of an error: what kind of failure it was, in the interface's language. The message
 * after it is the backend's own, which names the problem (a URL, a setting, a column) in English.
 */
export function errorTitle(code: string): string {
  return CODES.includes(code) ? t(`errors.codes.${code}` as Key) : code;
}
