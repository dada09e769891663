import { escapeHtml } from "../core/html-escape.ts";
import { HTML_GENERATOR_META } from "../core/safe-write.ts";
import type { HeatCell, StrategyBenchReport } from "./bench.ts";
import type { Model, SlotStats } from "./model-format.ts";

/**
 * The contact strategy's HTML report (issue 55 §5), one self-contained file with no script: a
 * heat map of the RPC rate per weekday × hour in the called party's local time (colour = the
 * estimate, faded = a wide 90% interval, hatched = never tried), the attempts per hour against
 * the capacity, how many contact-hours each compliance rule ruled out, and (for the bench) the
 * strategies side by side with the goals. Every legend is printed, not hidden behind a hover.
 */

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const times = (x: number) => `${x.toFixed(2)}×`;

/** Rule ids of the compliance engine as a manager reads them. */
const RULE_NAMES: Record<string, string> = {
  "us-tcpa-hours": "TCPA calling hours, 8:00–21:00 in every zone of the number",
  "fl-hours": "Florida, 8:00–20:00",
  "ok-hours": "Oklahoma, 8:00–20:00",
  "md-hours": "Maryland, 8:00–20:00",
  "fl-cap": "Florida, at most 3 calls in 24 hours",
  "ok-cap": "Oklahoma, at most 3 calls in 24 hours",
  "md-cap": "Maryland, at most 3 calls in 24 hours",
  "reg-f-7-in-7": "Reg F, at most 7 calls in 7 days per debt",
  "reg-f-after-conversation": "Reg F, no call within 7 days after a conversation",
  // The engine's reason codes, as a plan's summary counts them.
  outside_calling_hours: "Outside the calling hours (federal or state) in a zone of the number",
  no_calls_on_this_day: "No calls allowed on this day of the week (state rule)",
  holiday: "Holiday: no calls (state rule)",
  frequency_cap: "Frequency cap (state: at most 3 calls in 24 hours; Reg F: 7 in 7 days)",
  campaign_cap: "The campaign's own per-contact cap",
  no_consent: "No consent to call on record",
  internal_dnc: "On the internal do-not-call list",
  national_dnc: "On the National Do Not Call Registry",
  dnc_registry_stale: "Do-not-call registry copy too old to rely on",
  reg_f_7_in_7: "Reg F, at most 7 calls in 7 days per debt",
  reg_f_after_conversation: "Reg F, no call within 7 days after a conversation",
  unknown_time_zone: "The number's time zone is unknown",
  no_rules_for_destination: "No calling rules known for the number's country",
  not_dialable: "Not a dialable number",
};
/** A rule id or reason code in words; a state registry's code (`state_dnc_XX`) names its state. */
export const ruleName = (id: string) =>
  RULE_NAMES[id] ??
  (id.startsWith("state_dnc_") ? `On ${id.slice(10).toUpperCase()}'s do-not-call registry` : id);

/**
 * A white → dark blue scale; `alpha` (certainty) fades the background only, so the printed
 * number stays readable: white on what is dark once faded, black elsewhere.
 */
function colour(value: number, max: number, alpha = 1): { bg: string; fg: string } {
  const t = max <= 0 ? 0 : Math.min(1, value / max);
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return {
    bg: `rgba(${mix(247, 8)},${mix(251, 48)},${mix(255, 107)},${alpha.toFixed(2)})`,
    fg: t * alpha > 0.55 ? "#fff" : "#111",
  };
}

/** Cells fade with the width of their 90% interval relative to the scale's top. */
function certainty(cell: HeatCell, max: number): number {
  const width = cell.interval90[1] - cell.interval90[0];
  return Math.max(0.3, Math.min(1, 1 - width / Math.max(max, 1e-9)));
}

export function heatMapHtml(title: string, cells: readonly HeatCell[], max: number): string {
  const rows = DAYS.map((day, d) => {
    const tds = Array.from({ length: 24 }, (_, hour) => {
      const cell = cells[d * 24 + hour] as HeatCell;
      const label = `${day} ${String(hour).padStart(2, "0")}:00 — ${pct(cell.estimate)} (90% interval ${pct(cell.interval90[0])}–${pct(cell.interval90[1])})${cell.tried ? "" : ", never tried"}`;
      if (!cell.tried) return `<td class="untried" title="${escapeHtml(label)}"></td>`;
      const { bg, fg } = colour(cell.estimate, max, certainty(cell, max));
      return `<td style="background:${bg};color:${fg}" title="${escapeHtml(label)}">${Math.round(cell.estimate * 100)}</td>`;
    }).join("");
    return `<tr><th scope="row">${day}</th>${tds}</tr>`;
  }).join("");
  const hours = Array.from({ length: 24 }, (_, h) => `<th scope="col">${h}</th>`).join("");
  return `<figure class="heat"><figcaption>${escapeHtml(title)}</figcaption><table class="heat"><thead><tr><th></th>${hours}</tr></thead><tbody>${rows}</tbody></table></figure>`;
}

function heatLegend(max: number): string {
  const steps = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const { bg, fg } = colour(t * max, max);
    return `<span class="swatch" style="background:${bg};color:${fg}">${Math.round(t * max * 100)}%</span>`;
  });
  return `<p class="legend"><b>How to read the heat maps:</b> rows are weekdays, columns the hour of the day in the <b>called party's local time</b>; each number is the RPC rate per attempt in percent. Colour: ${steps.join("")} &nbsp; <span class="swatch faded">faded</span> = wide 90% interval (few attempts, uncertain) &nbsp; <span class="swatch untried"></span> hatched = never tried (not zero: nothing known).</p>`;
}

/** Attempts per hour against the capacity, as SVG bars from zero with a labelled capacity line. */
export function capacityChartHtml(
  attempts: readonly number[],
  capacity: number | undefined,
  startMs: number,
  caption: string,
): string {
  const width = 960;
  const height = 220;
  const left = 48;
  const bottom = 36;
  const top = 12;
  const plotW = width - left - 12;
  const plotH = height - top - bottom;
  const top0 = Math.max((capacity ?? 0) * 1.15, ...attempts, 1);
  // Round ticks: a step of 1, 2 or 5 times a power of ten, four or five of them.
  const raw = top0 / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const max = Math.ceil(top0 / step) * step;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const barW = plotW / Math.max(1, attempts.length);
  const bars = attempts
    .map(
      (v, i) =>
        `<rect x="${(left + i * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${Math.max(0.5, barW - 0.6).toFixed(1)}" height="${(top + plotH - y(v)).toFixed(1)}" fill="#2b6cb0"/>`,
    )
    .join("");
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);
  const yAxis = ticks
    .map(
      (v) =>
        `<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    )
    .join("");
  const days = Math.ceil(attempts.length / 24);
  const xAxis = Array.from({ length: days }, (_, d) => {
    const at = new Date(startMs + d * 86_400_000);
    const label = `${DAYS[(at.getUTCDay() + 6) % 7]} ${at.getUTCDate()}`;
    return `<line x1="${left + d * 24 * barW}" x2="${left + d * 24 * barW}" y1="${top}" y2="${top + plotH}" stroke="#bbb"/><text x="${left + (d * 24 + 12) * barW}" y="${height - bottom + 16}" text-anchor="middle">${label}</text>`;
  }).join("");
  const capY = y(capacity ?? 0);
  const capLine =
    capacity === undefined
      ? ""
      : `<line x1="${left}" x2="${left + plotW}" y1="${capY}" y2="${capY}" stroke="#c53030" stroke-width="2" stroke-dasharray="6 4"/><text x="${left + plotW - 4}" y="${capY - 5}" text-anchor="end" fill="#c53030">capacity ${capacity} attempts/hour</text>`;
  const capLegend =
    capacity === undefined
      ? "no capacity given: the plan was not capped (a capacity of N attempts per hour, or auto, caps it)"
      : `<span class="swatch" style="background:#c53030;height:3px"></span> dialer capacity (dashed)`;
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption><svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(caption)}">${yAxis}${xAxis}${bars}${capLine}<text x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">attempts per hour</text><text x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle">day (UTC), one bar per hour</text></svg><p class="legend"><span class="swatch" style="background:#2b6cb0"></span> attempts planned in the hour &nbsp; ${capLegend}</p></figure>`;
}

/** Attempts by local hour of the day: 24 bars from zero, hours labelled (the heat maps' clock). */
export function localHourChartHtml(counts: readonly number[]): string {
  const width = 960;
  const height = 200;
  const left = 48;
  const top = 12;
  const plotW = width - left - 12;
  const plotH = height - top - 36;
  const max = Math.max(1, ...counts);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const barW = plotW / 24;
  const bars = counts
    .map(
      (v, h) =>
        `<rect x="${(left + h * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(top + plotH - y(v)).toFixed(1)}" fill="#2b6cb0"><title>${String(h).padStart(2, "0")}:00 local: ${v} attempts</title></rect><text x="${(left + (h + 0.5) * barW).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle">${h}</text>`,
    )
    .join("");
  const axis = `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#bbb"/><text x="${left - 6}" y="${top + plotH + 4}" text-anchor="end">0</text><text x="${left - 6}" y="${top + 4}" text-anchor="end">${max}</text>`;
  const caption = `${counts.reduce((a, b) => a + b, 0)} attempts by the called party's local hour (0–23); the busiest hour has ${max}`;
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption><svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(caption)}">${axis}${bars}<text x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">attempts</text><text x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle">hour of the day, called party's local time</text></svg></figure>`;
}

export function ruledOutHtml(counts: Readonly<Record<string, number>>, unit: string): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return `<p>No rule ruled anything out.</p>`;
  const max = Math.max(...entries.map(([, n]) => n));
  const rows = entries
    .map(
      ([rule, n]) =>
        `<tr><td>${escapeHtml(ruleName(rule))}<br><span class="muted">${escapeHtml(rule)}</span></td><td class="num">${n.toLocaleString("en-US")}</td><td class="barcell"><span class="bar" style="width:${((100 * n) / max).toFixed(1)}%"></span></td></tr>`,
    )
    .join("");
  return `<table class="rules"><thead><tr><th>rule</th><th class="num">${escapeHtml(unit)}</th><th>share of the largest</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:24px;color:#111;max-width:1360px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px}
p.sub{color:#444;margin:0 0 12px}
table{border-collapse:collapse;font-size:13px}
th,td{padding:4px 8px;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.heat{table-layout:fixed;width:100%}
table.heat th,table.heat td{padding:0;text-align:center;height:24px;font-size:11px;border:1px solid #fff}
table.heat thead th{font-weight:normal;color:#444}
table.heat th[scope=row]{width:46px;padding:0 8px 0 2px;text-align:left;font-weight:normal;white-space:nowrap}
td.untried,.swatch.untried{background:repeating-linear-gradient(45deg,#fff 0 3px,#bbb 3px 5px)}
.swatch{display:inline-block;min-width:34px;height:16px;line-height:16px;font-size:11px;text-align:center;border:1px solid #ccc;margin:0 2px;vertical-align:middle}
.swatch.faded{background:rgba(60,100,160,.35);color:#111}
.legend{font-size:13px;color:#333;line-height:1.9}
figure{margin:12px 0} figcaption{font-weight:600;margin-bottom:4px}
svg.chart{width:100%;max-width:1000px;height:auto;font-size:12px}
.muted{color:#666;font-size:11px}
.barcell{width:40%} .bar{display:inline-block;height:12px;background:#2b6cb0}
.met{color:#276749;font-weight:600} .unmet{color:#c53030;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:16px}
`;

function page(title: string, sub: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${HTML_GENERATOR_META}<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(sub)}</p>${body}</body></html>`;
}

const ci = (e: { mean: number; ci95: [number, number] }, f: (x: number) => string) =>
  `${f(e.mean)} <span class="muted">(${f(e.ci95[0])} – ${f(e.ci95[1])})</span>`;

export function benchReportHtml(report: StrategyBenchReport): string {
  const strategies = report.strategies
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.label)}</td><td class="num">${Math.round(s.attempts).toLocaleString("en-US")}</td><td class="num">${ci(s.rpcPer1000, (x) => x.toFixed(1))}</td><td class="num">${ci(s.ratio, times)}</td><td class="num">${ci(s.reachedShare, (x) => pct(x, 1))}</td><td class="num">${s.hoursToFirstRpc === null ? "—" : `${(s.hoursToFirstRpc / 24).toFixed(1)} days`}</td><td class="num">${s.violations}</td></tr>`,
    )
    .join("");
  const goals = report.goals
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.name)}</td><td class="num">${escapeHtml(g.target)}</td><td class="num">${Number.isNaN(g.value) ? "not checked" : g.name.includes("share") ? pct(g.value, 0) : g.name.includes("violations") ? String(g.value) : times(g.value)}</td><td class="${g.met ? "met" : "unmet"}">${Number.isNaN(g.value) ? "—" : g.met ? "met" : "NOT met"}</td></tr>`,
    )
    .join("");
  const curve = report.curve
    .map(
      (p) =>
        `<tr><td class="num">${pct(p.accuracy, 0)}</td><td class="num">${ci(p.learned, times)}</td><td class="num">${ci(p.oracle, times)}</td><td class="num">${pct((p.learned.mean - 1) / Math.max(1e-9, p.oracle.mean - 1), 0)}</td></tr>`,
    )
    .join("");
  const max = Math.max(
    0.01,
    ...report.heat.flatMap((h) => h.cells.filter((c) => c.tried).map((c) => c.estimate)),
  );
  const maps = report.heat
    .map((h) => heatMapHtml(`List segment "${h.segment}": RPC rate per attempt (%)`, h.cells, max))
    .join("");
  const body = `
<h2>Strategies at equal capacity (${report.capacityPerHour} attempts/hour) and equal attempts (${report.attemptsPerRecord} per record)</h2>
<table><thead><tr><th>strategy</th><th class="num">attempts</th><th class="num">RPCs per 1,000 attempts (95% CI)</th><th class="num">vs hour-agnostic (95% CI)</th><th class="num">list reached in ${report.horizonDays} days</th><th class="num">mean time to first RPC</th><th class="num">compliance violations</th></tr></thead><tbody>${strategies}</tbody></table>
<h2>Goals (issue 55)</h2>
<table><thead><tr><th>goal</th><th class="num">target</th><th class="num">measured</th><th>result</th></tr></thead><tbody>${goals}</tbody></table>
<h2>Lift against the list column's accuracy</h2>
<table><thead><tr><th class="num">column right</th><th class="num">learned vs hour-agnostic</th><th class="num">oracle vs hour-agnostic</th><th class="num">share of the oracle's lift</th></tr></thead><tbody>${curve}</tbody></table>
<h2>What the learned strategy knew after ${report.horizonDays} days (replication 1)</h2>
${heatLegend(max)}
<div class="grid">${maps}</div>
<h2>Attempts per hour against capacity</h2>
${capacityChartHtml(report.perHour.attempts, report.perHour.capacity, report.perHour.startMs, `The learned strategy's attempts in each hour of the first ${Math.min(7, report.horizonDays)} days (replication 1)`)}
<h2>Contact-hours each compliance rule ruled out</h2>
<p class="legend">Each contact has ${report.horizonDays * 24} hours in the horizon; a rule rules an hour out when the compliance engine refuses a call then. An hour can be ruled out by several rules.</p>
${ruledOutHtml(report.ruledOut, "contact-hours ruled out")}`;
  return page(
    `Contact strategy benchmark: ${report.population}`,
    `${report.listSize.toLocaleString("en-US")} records, ${report.horizonDays} days, list column right ${pct(report.accuracy, 0)}, ${pct(report.historyShare, 0)} of the list with earlier attempts; ${report.replications} replication${report.replications === 1 ? "" : "s"}, seed ${report.seed}; intervals are 95% across replications.`,
    body,
  );
}

/** Segments shown one map each in a model's report; the rest are counted, not drawn. */
export const MODEL_REPORT_SEGMENTS = 12;

/**
 * The report of a learned model and its plan (`learn --report`, `plan --report`, the demo): the
 * campaign's map (every segment pooled) first, then the plan against capacity and the rules,
 * then the segments with the most attempts, one map each.
 */
export function modelReportHtml(
  model: Model,
  extra: {
    /** A name for the campaign (the model file only knows its id). */
    campaignName?: string;
    perHour?: { attempts: number[]; capacity: number | undefined; startMs: number; localHours?: number[] };
    ruledOut?: Record<string, number>;
    /** The plan's counts, to state the totals and the unit of the rules table. */
    plan?: { records: number; planned: number; unplannable: number };
    /** The lift measured on held-out weeks (expected-lift.ts), or why there is none yet: the headline. */
    expectedLift?: { headline: string; estimated: boolean };
  } = {},
): string {
  const attemptsOf = (slots: readonly SlotStats[]) => slots.reduce((a, c) => a + c.attempts, 0);
  const segments = [...model.segments].sort((a, b) => attemptsOf(b.slots) - attemptsOf(a.slots));
  const shown = segments.slice(0, MODEL_REPORT_SEGMENTS);
  const all = [model.priors.campaign, ...shown.map((s) => s.slots)];
  const max = Math.max(0.01, ...all.flatMap((slots) => slots.filter((c) => c.tried).map((c) => c.estimate)));
  const parts = [
    // What a manager asks first: what this will bring, measured on weeks the model did not see.
    extra.expectedLift
      ? `<p class="headline" data-role="expected-lift">${escapeHtml(extra.expectedLift.headline.charAt(0).toUpperCase() + extra.expectedLift.headline.slice(1))}.</p>`
      : "",
    heatLegend(max),
    heatMapHtml(
      `Every segment together: RPC rate per attempt (%), ${attemptsOf(model.priors.campaign).toLocaleString("en-US")} attempts`,
      model.priors.campaign,
      max,
    ),
  ];
  const n = (x: number) => x.toLocaleString("en-US");
  if (extra.perHour) {
    const { attempts, capacity } = extra.perHour;
    const total = attempts.reduce((a, b) => a + b, 0);
    const busiest = Math.max(0, ...attempts);
    const cap = capacity === undefined ? "no capacity cap" : `capacity ${n(capacity)} attempts/hour`;
    parts.push(
      // The dialer works through one queue of instants, so the bars are the horizon's hours in
      // UTC; the heat maps are in each called party's local time. Both are labelled as such.
      `<h2>Planned attempts per hour against capacity (hours in UTC)</h2><p class="legend">Each bar is one hour of the plan's horizon in <b>UTC</b> (the dialer's one clock, where the capacity applies); the heat maps are in the <b>called party's local time</b>, so a 17:00 local hour falls in several UTC hours.</p>${capacityChartHtml(attempts, capacity, extra.perHour.startMs, `${n(total)} attempts planned over ${Math.ceil(attempts.length / 24)} days (days and hours in UTC); the busiest hour has ${n(busiest)} (${cap})`)}`,
    );
    if (extra.perHour.localHours)
      parts.push(
        `<h2>Planned attempts by the called party's local hour</h2><p class="legend">The same attempts by the hour of the day in <b>each called party's local time</b>, like the heat maps (every day of the plan together).</p>${localHourChartHtml(extra.perHour.localHours)}`,
      );
  }
  if (extra.ruledOut) {
    const hours = extra.perHour?.attempts.length;
    const unit =
      extra.plan && hours !== undefined
        ? `<p class="legend">Counted per record and hour of the horizon (${n(extra.plan.records)} records × ${n(hours)} hours = ${n(extra.plan.records * hours)}); an hour can be ruled out by several rules. ${n(extra.plan.unplannable)} record(s) had no legal hour left.</p>`
        : "";
    parts.push(
      `<h2>Record-hours each compliance rule ruled out</h2>${unit}${ruledOutHtml(extra.ruledOut, "record-hours ruled out")}`,
    );
  }
  if (shown.length > 0) {
    const label = (s: (typeof shown)[number]) =>
      Object.entries(s.values)
        .map(([k, v]) => `${k} ${v || "(none)"}`)
        .join(", ");
    parts.push(
      `<h2>By segment: the ${shown.length} with the most attempts${segments.length > shown.length ? ` (${segments.length - shown.length} more in the model file)` : ""}</h2><div class="grid">${shown
        .map((s) =>
          heatMapHtml(`${label(s)}: ${attemptsOf(s.slots).toLocaleString("en-US")} attempts`, s.slots, max),
        )
        .join("")}</div>`,
    );
  }
  const window =
    model.learnedFrom.from === null && model.learnedFrom.to === null
      ? "the whole history given"
      : `${model.learnedFrom.from ?? "its start"} to ${model.learnedFrom.to ?? "its end"}`;
  return page(
    `Contact strategy: ${extra.campaignName ?? `campaign ${model.campaign}`}`,
    `Learned from ${model.learnedFrom.records.toLocaleString("en-US")} attempts (${window}), segments by ${model.keys.join(", ") || "nothing (one segment)"}; hours in the called party's local time.`,
    parts.join(""),
  );
}
