export const PAGES = ["overview", "mentions", "analysis", "search", "topics", "alerts", "sources", "reports", "settings"] as const;
export type PageName = (typeof PAGES)[number];

export interface Route {
  page: PageName;
  params: Record<string, string>;
}

function isPage(value: string): value is PageName {
  return (PAGES as readonly string[]).includes(value);
}

/** Parses "#/mentions?topic=Elections" into a route; anything unknown is the overview. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const [path, search = ""] = raw.split("?", 2);
  const page = decodeURIComponent(path).toLowerCase();
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) params[k] = v;
  return { page: isPage(page) ? page : "overview", params };
}

/** Builds the hash for a page, e.g. href("mentions", { topic: "Elections" }) → "#/mentions?topic=Elections". */
export function href(page: PageName, params: Record<string, string> = {}): string {
  const search = new URLSearchParams(params).toString();
  return `#/${page}${search ? `?${search}` : ""}`;
}
