import { MAX_ABANDONMENT_RATE } from "../dialer/config.ts";

/**
 * Every rate the board shows, with the counts behind it (issue 64 §1). A manager reading
 * "abandonment 3.72 %" needs to know whether that is 3 of 81 live answers or 300 of 8,100: a
 * rate on fewer than {@link MIN_RATE_SAMPLE} calls is shown as "too few calls (n)" and raises
 * nothing, and a rate CXone gives without its count never raises an alarm on its own (the
 * counted windows beside it do). Pure: the board's view in, figures out; the JSON API carries
 * them as `rates`, the page draws them.
 */

/**
 * The fewest calls behind a rate before the board judges it: the watchdog's default minimum
 * sample (`campaigns watch --min-sample 30`). One abandoned call in 30 live answers is 3.3 %:
 * below that, one call decides whether a campaign looks illegal.
 */
export const MIN_RATE_SAMPLE = 30;

export type RateId = "success" | "abandonment-recent" | "abandonment-window" | "abandonment-today";

export interface RateFigure {
  id: RateId;
  /** What the page prints under the figure ("abandonment, last hour"). */
  label: string;
  /** The window the rate covers, in words ("last hour", "FTC 30-day window", "today"). */
  window: string;
  /** A fraction in [0, 1]; null when there is none. */
  rate: number | null;
  /** The calls counted (abandoned, successful) and of how many; null where CXone gives no count. */
  count: { of: number; per: number; unit: string } | null;
  /** `enough`: judged; `too-few`: fewer than `minimum` calls; `not-counted`: CXone gave no count; `none`: no rate. */
  sample: "enough" | "too-few" | "not-counted" | "none";
  minimum: number;
  /** The limit an abandonment rate is judged against (the pacing target, else the legal 3 %). */
  limit: number | null;
  /** True when this figure alone puts the campaign in "Needs attention". */
  alarm: boolean;
  /** Two windows on opposite sides of the limit: why they differ, with the other's counts. */
  differsFrom?: string;
}

interface BoardFacts {
  successRate: number | null;
  callsInWindow: number | null;
  windowMinutes: number | null;
  abandonmentRate: number | null;
  lastSource: "poll" | "webhook" | null;
  pacing: { abandonment: number; liveAnswers: number; window: string; target: number } | null;
  today: {
    abandonRate?: number | undefined;
    abandons?: number | undefined;
    connects?: number | undefined;
  } | null;
}

/** "FTC 30-day window" for the pacing spec's window names (the page's words, one place). */
export function windowName(window: string): string {
  if (window === "ftc-30d") return "FTC 30-day window";
  if (window === "ofcom-24h") return "Ofcom 24-hour window";
  if (window === "day") return "today";
  return window;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

export function rateFigures(facts: BoardFacts): RateFigure[] {
  const limit = facts.pacing?.target ?? MAX_ABANDONMENT_RATE;
  const figure = (
    id: RateId,
    label: string,
    window: string,
    rate: number | null,
    per: number | null,
    unit: string,
    judged: number | null,
  ): RateFigure => {
    const count = rate !== null && per !== null ? { of: Math.round(rate * per), per, unit } : null;
    const sample =
      rate === null ? "none" : count === null ? "not-counted" : per! < MIN_RATE_SAMPLE ? "too-few" : "enough";
    return {
      id,
      label,
      window,
      rate,
      count,
      sample,
      minimum: MIN_RATE_SAMPLE,
      limit: judged,
      alarm: judged !== null && sample === "enough" && rate !== null && rate >= judged,
    };
  };
  const minutes = facts.windowMinutes ?? 30;
  const figures = [
    figure(
      "success",
      "success rate",
      `last ${minutes} min`,
      facts.successRate,
      facts.callsInWindow,
      "completed calls",
      null,
    ),
  ];
  const recent = facts.lastSource === "webhook" ? "latest webhook" : "last hour";
  // The seed API's dialer analytics give an hourly rate without the calls behind it.
  figures.push(
    figure(
      "abandonment-recent",
      `abandonment, ${recent}`,
      recent,
      facts.abandonmentRate,
      null,
      "live answers",
      limit,
    ),
  );
  if (facts.pacing) {
    const name = windowName(facts.pacing.window);
    figures.push(
      figure(
        "abandonment-window",
        `abandonment, ${name}`,
        name,
        facts.pacing.abandonment,
        facts.pacing.liveAnswers,
        "live answers",
        limit,
      ),
    );
  }
  const today = facts.today;
  if (today && today.abandonRate !== undefined && today.abandonRate !== null)
    figures.push(
      figure(
        "abandonment-today",
        "abandonment today",
        "today",
        today.abandonRate,
        today.connects ?? null,
        "connects",
        limit,
      ),
    );
  explainDisagreements(figures.filter((f) => f.id !== "success" && f.rate !== null));
  return figures;
}

/** Two abandonment windows, one over the limit and one under: say they are different windows. */
function explainDisagreements(abandonment: RateFigure[]): void {
  for (const figure of abandonment) {
    const over = figure.limit !== null && figure.rate! >= figure.limit;
    const other = abandonment.find((o) => o !== figure && o.limit !== null && o.rate! >= o.limit! !== over);
    if (!other) continue;
    figure.differsFrom = `differs from ${pct(other.rate!)} over the ${other.window}${other.count ? ` (${countText(other)})` : ""}: different windows${figure.sample === "enough" ? "" : `; this one ${sampleText(figure)}`}`;
  }
}

/** "3 of 81 live answers". */
export function countText(figure: RateFigure): string {
  return figure.count
    ? `${figure.count.of.toLocaleString("en-US")} of ${figure.count.per.toLocaleString("en-US")} ${figure.count.unit}`
    : "count not reported by CXone";
}

function sampleText(figure: RateFigure): string {
  if (figure.sample === "too-few") return `rests on too few calls (${figure.count?.per ?? 0})`;
  if (figure.sample === "not-counted") return "comes without its count";
  return "";
}
