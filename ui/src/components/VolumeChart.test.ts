// The Analysis volume chart's data shaping, through the component: the table under the chart (its days,
// counts and links to the mentions behind each point) and what uPlot is given to draw. uPlot draws on a
// canvas, which jsdom does not have, so it is replaced by a stand-in that records its options and data and
// answers the two position questions a click asks.
import { fireEvent, render } from "@testing-library/svelte";
import { tick } from "svelte";
import type uPlot from "uplot";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Analysis, AnalysisQuery } from "../lib/bindings";
import { i18n } from "../lib/i18n.svelte";
import VolumeChart from "./VolumeChart.svelte";

const plots = vi.hoisted(() => [] as FakePlotLike[]);

interface FakePlotLike {
  opts: uPlot.Options;
  data: uPlot.AlignedData;
  host: HTMLElement;
  over: HTMLDivElement;
  destroyed: boolean;
}

vi.mock("uplot", () => ({
  default: class FakePlot {
    over = document.createElement("div");
    destroyed = false;
    constructor(
      public opts: uPlot.Options,
      public data: uPlot.AlignedData,
      public host: HTMLElement,
    ) {
      host.append(this.over);
      plots.push(this);
    }
    /** A bucket every 100 px from the left. */
    posToIdx(left: number): number {
      return Math.round(left / 100);
    }
    /** A count's height: 260 px at 0, a pixel higher per mention. */
    valToPos(v: number): number {
      return 260 - v;
    }
    setSize() {}
    destroy() {
      this.destroyed = true;
      this.over.remove();
    }
  },
}));

beforeAll(() => {
  // jsdom has no ResizeObserver; the chart only uses it to follow its width.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

afterEach(() => {
  plots.length = 0;
  i18n.set("system");
  window.location.hash = "";
});

// Noon buckets: the same calendar day in any test machine's time zone.
const BUCKETS = ["2026-03-01T12:00:00Z", "2026-03-02T12:00:00Z", "2026-03-03T12:00:00Z"];
const QUERY: AnalysisQuery = { topics: [], since: BUCKETS[0], until: "2026-03-04T12:00:00Z", interval: "day", timezone: "UTC" };
const ANALYSIS: Analysis = {
  timezone: "UTC",
  interval: "day",
  buckets: BUCKETS,
  series: [
    { topic_id: 1, topic: "Energy", counts: [3, 0, 1200], total: 1203 },
    { topic_id: 2, topic: "Sanctions", counts: [0, 5, 1], total: 6 },
  ],
  articles: 1209,
  sources: [],
  languages: [],
  stories: [],
};

const enc = (iso: string) => iso.replaceAll(":", "%3A");
const mentionsOf = (topic: string, since: string, until: string) => `#/mentions?topic=${topic}&since=${enc(since)}&until=${enc(until)}`;

/** The table's rows as text: the header row, then each bucket's label and counts. */
function rows(container: HTMLElement): string[][] {
  return [...container.querySelectorAll("table tr")].map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ""));
}

/** The plot drawn now (the last one made that was not destroyed). */
function current(): FakePlotLike {
  const live = plots.filter((p) => !p.destroyed);
  expect(live).toHaveLength(1);
  return live[0];
}

describe("VolumeChart", () => {
  it("tabulates every bucket and topic, each count a link to its mentions", () => {
    const { container, getByText } = render(VolumeChart, { props: { analysis: ANALYSIS, query: QUERY } });
    expect(getByText("Show as a table").tagName).toBe("SUMMARY");
    expect(rows(container)).toEqual([
      ["Day", "Energy", "Sanctions"],
      ["Mar 1", "3", "0"],
      ["Mar 2", "0", "5"],
      ["Mar 3", "1,200", "1"],
    ]);
    const links = [...container.querySelectorAll<HTMLAnchorElement>('a[data-testid="volume-cell"]')];
    expect(links.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["3", mentionsOf("Energy", BUCKETS[0], BUCKETS[1])],
      ["5", mentionsOf("Sanctions", BUCKETS[1], BUCKETS[2])],
      // The last bucket ends where the period does.
      ["1,200", mentionsOf("Energy", BUCKETS[2], QUERY.until)],
      ["1", mentionsOf("Sanctions", BUCKETS[2], QUERY.until)],
    ]);
  });

  it("labels the chart for screen readers with its topics and total", () => {
    const { getByRole } = render(VolumeChart, { props: { analysis: ANALYSIS, query: QUERY } });
    expect(getByRole("img").getAttribute("aria-label")).toBe("Mentions per day of Energy, Sanctions: 1,209 in all");
  });

  it("gives uPlot the buckets in Unix seconds and one line per topic", () => {
    const { container } = render(VolumeChart, { props: { analysis: ANALYSIS, query: QUERY } });
    const plot = current();
    expect(plot.host).toBe(container.querySelector(".plot"));
    expect(plot.data).toEqual([
      [1772366400, 1772452800, 1772539200],
      [3, 0, 1200],
      [0, 5, 1],
    ]);
    const series = plot.opts.series;
    expect(series.map((s) => s.label)).toEqual(["Day", "Energy", "Sanctions"]);
    // Few buckets: each point is drawn.
    expect(series.slice(1).map((s) => (s.points as { show: boolean }).show)).toEqual([true, true]);
    expect(plot.opts.width).toBe(320);
    // The legend reads the point under the cursor: its day, and each topic's count in the locale's digits.
    const u = plot as unknown as uPlot;
    const legend = (i: number, v: number | null) => (series[i].value as (u: uPlot, v: number | null) => string)(u, v);
    expect(legend(0, 1772539200)).toBe("Mar 3");
    expect(legend(1, 1200)).toBe("1,200");
    expect(legend(1, null)).toBe("--");
    // The counts' axis starts at zero with room above the highest line.
    const range = plot.opts.scales!.y!.range as (u: uPlot, min: number, max: number) => [number, number];
    expect(range(u, 0, 1200)).toEqual([0, 1320]);
    expect(range(u, 0, 0)).toEqual([0, 1]);
  });

  it("hides the points of a long series", () => {
    const buckets = Array.from({ length: 61 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i, 12)).toISOString());
    const long: Analysis = { ...ANALYSIS, buckets, series: [{ topic_id: 1, topic: "Energy", counts: buckets.map(() => 1), total: 61 }] };
    render(VolumeChart, { props: { analysis: long, query: { ...QUERY, until: "2026-03-03T12:00:00Z" } } });
    expect((current().opts.series[1].points as { show: boolean }).show).toBe(false);
    expect((current().data[0] as number[]).length).toBe(61);
  });

  it("opens the mentions behind the point nearest a click", async () => {
    render(VolumeChart, { props: { analysis: ANALYSIS, query: QUERY } });
    const plot = current();
    expect(plot.over.getAttribute("data-testid")).toBe("volume-plot");
    // Bucket 1 (Mar 2), at Sanctions' height (5): its line is nearer than Energy's (0).
    await fireEvent.click(plot.over, { clientX: 100, clientY: 255 });
    expect(window.location.hash).toBe(mentionsOf("Sanctions", BUCKETS[1], BUCKETS[2]));
    // Bucket 2 (Mar 3), high up: Energy's 1,200.
    await fireEvent.click(plot.over, { clientX: 200, clientY: -900 });
    expect(window.location.hash).toBe(mentionsOf("Energy", BUCKETS[2], QUERY.until));
  });

  it("is drawn again in Russian after a language switch, its table too", async () => {
    const { container } = render(VolumeChart, { props: { analysis: ANALYSIS, query: QUERY } });
    const before = current();
    i18n.set("ru");
    await tick();
    expect(before.destroyed).toBe(true);
    const after = current();
    expect(after.opts.series.map((s) => s.label)).toEqual(["День", "Energy", "Sanctions"]);
    expect(after.data).toEqual(before.data);
    expect(rows(container)[0]).toEqual(["День", "Energy", "Sanctions"]);
    expect(rows(container)[3]).toEqual(["3 мар.", "1\u00a0200", "1"]);
  });
});
