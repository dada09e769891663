import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { escapeHtml } from "../../../core/html-escape.ts";
import { LOCALE_GUARD_JS } from "../../../core/locale-guard.ts";
import { HTML_GENERATOR_META } from "../../../core/safe-write.ts";
import type { BenchReport, ControllerReport } from "./bench.ts";

/**
 * The pacing bench as one self-contained HTML file for an operations manager (issue 53 §3): a
 * headline sentence first (cxo against VICIdial's best legal mode at the same abandonment, from
 * the data), the table with every figure that breaks a documented rule marked, the frontier
 * (connects per agent-hour against abandonment: cxo, the best baseline and progressive; the rest
 * on demand) and each controller's average day, every abandonment chart on one shared scale with
 * the legal line. Drawn with uPlot inlined from node_modules (nothing fetched from a CDN).
 */
const require = createRequire(import.meta.url);

function uplotAsset(file: "uPlot.iife.min.js" | "uPlot.min.css"): string {
  const distDir = require.resolve("uplot/dist/uPlot.iife.min.js").replace(/uPlot\.iife\.min\.js$/, "");
  return readFileSync(`${distDir}${file}`, "utf8");
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * A controller's tuning as a person reads it: `maxLevel 1.31, intensity 25, dropLimit 0.03`; a
 * list (the clairvoyant's per-slot schedule, an array or comma-separated text) is summarised by its count and range, not printed
 * whole; a controller with nothing tuned says "defaults".
 */
export function tuningText(tuning: unknown): string {
  const value = (v: unknown): string => {
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
    if (Array.isArray(v)) {
      const numbers = v.filter((x): x is number => typeof x === "number");
      if (numbers.length === v.length && numbers.length > 0)
        return `${numbers.length} values, ${value(Math.min(...numbers))}–${value(Math.max(...numbers))}`;
      return `${v.length} values`;
    }
    if (v !== null && typeof v === "object") return tuningText(v);
    // A list kept as text ("1.3,1.1,…"): summarised like an array.
    if (typeof v === "string" && /^-?[\d.]+(,-?[\d.]+)+$/.test(v)) return value(v.split(",").map(Number));
    return String(v);
  };
  if (tuning === null || typeof tuning !== "object") return tuning === undefined ? "defaults" : value(tuning);
  const entries = Object.entries(tuning as Record<string, unknown>);
  return entries.length === 0 ? "defaults" : entries.map(([key, v]) => `${key} ${value(v)}`).join(", ");
}

const WINDOW_NAMES: Record<string, string> = {
  "ftc-30d": "30-day window",
  "ofcom-24h": "24 hours",
  day: "calendar day",
};

/** The documented rules every controller is held to (docs/pacing.md; README). */
export const RULES = {
  daysOver: 0.01,
  worst30Min: 0.08,
} as const;

const number1 = (x: number) => x.toFixed(1);

/** Text whose dashes and hyphens must not break a line ("1.3–2.1", "agent-hour"): word joiners around them. */
const unbroken = (text: string) => text.replace(/([–-])/g, "\u2060$1\u2060");

/** The baseline the headline compares with: VICIdial's best legal mode, else the best legal baseline. */
function headlineBaseline(report: BenchReport): ControllerReport | null {
  const candidates = report.controllers.filter(
    (c) =>
      c.name !== "cxo" &&
      c.name !== "progressive" &&
      c.name !== "clairvoyant" &&
      c.rules?.legalWindow !== false &&
      c.matched?.ratio != null &&
      c.matched.cxoConnectsPerAgentHour != null,
  );
  const byConnects = (list: ControllerReport[]) =>
    [...list].sort((a, b) => b.connectsPerAgentHour - a.connectsPerAgentHour)[0] ?? null;
  return byConnects(candidates.filter((c) => c.name.startsWith("vicidial"))) ?? byConnects(candidates);
}

function baselineLabel(c: ControllerReport): string {
  if (c.name.startsWith("vicidial")) return `VICIdial's best mode (${c.name.slice("vicidial-".length)})`;
  return `the best baseline (${c.name})`;
}

/**
 * The report's first sentence, from the data: "At the same 2.2% abandonment as VICIdial's best
 * mode (tapered), cxo connects 18% more calls per agent-hour: 15.6 against 13.2, over 120
 * simulated days; legal every day." Null when the report holds no cxo or no matched baseline.
 */
export function headline(report: BenchReport): string | null {
  const cxo = report.controllers.find((c) => c.name === "cxo");
  const baseline = headlineBaseline(report);
  const m = baseline?.matched;
  if (!cxo || !baseline || !m || m.ratio == null || m.cxoConnectsPerAgentHour == null) return null;
  const change = Math.round((m.ratio - 1) * 100);
  const more =
    change === 0
      ? "as many calls per agent-hour"
      : `${Math.abs(change)}% ${change > 0 ? "more" : "fewer"} calls per agent-hour`;
  const days = m.replications * report.days;
  const target = report.limits?.target ?? 0.03;
  const window = WINDOW_NAMES[report.limits?.window ?? ""] ?? "legal window";
  const a = cxo.abandonment;
  const legal =
    a.worstWindow > target + 1e-12
      ? `over the ${pct1(target)} limit in its worst ${window} (${pct(a.worstWindow)})`
      : a.shareOfDaysOver === 0
        ? "legal every day"
        : `legal in every ${window}, over ${pct1(target)} on ${pct1(a.shareOfDaysOver)} of days`;
  return `At the same ${pct1(m.abandonment)} abandonment as ${baselineLabel(baseline)}, cxo connects ${more}: ${number1(
    m.cxoConnectsPerAgentHour,
  )} against ${number1(m.connectsPerAgentHour)}, over ${days} simulated days; ${legal}.`;
}

const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A table cell; a figure that breaks a documented rule is marked (✗, red, the rule in its title). */
function cell(text: string, broken: string | null = null): string {
  return broken ? `<td class="breaks" title="${escapeHtml(broken)}">✗&nbsp;${text}</td>` : `<td>${text}</td>`;
}

function tableRow(report: BenchReport, c: ControllerReport): string {
  const target = report.limits?.target ?? 0.03;
  const window = WINDOW_NAMES[report.limits?.window ?? ""] ?? "legal window";
  const a = c.abandonment;
  const floor = c.noiseFloor;
  const matched = c.matched;
  const matchedText =
    matched?.ratio != null && matched.cxoConnectsPerAgentHour != null
      ? `${matched.ratio.toFixed(2)}× <span class="sub">${number1(matched.cxoConnectsPerAgentHour)} vs ${number1(
          matched.connectsPerAgentHour,
        )} at ${pct(matched.abandonment)}</span>`
      : "";
  return `<tr data-controller="${escapeHtml(c.name)}"><th scope="row">${escapeHtml(c.name)}</th>${[
    cell(c.connectsPerAgentHour.toFixed(2)),
    cell(pct1(c.occupancy)),
    cell(`${pct(a.mean)} <span class="sub">${pct(a.ci95[0])}–${pct(a.ci95[1])}</span>`),
    cell(
      pct(a.shareOfDaysOver),
      a.shareOfDaysOver > RULES.daysOver + 1e-12
        ? `More than ${pct1(RULES.daysOver)} of days over the ${pct1(target)} target`
        : null,
    ),
    cell(
      pct(a.worstWindow),
      a.worstWindow > target + 1e-12 ? `Over the ${pct1(target)} legal limit in its worst ${window}` : null,
    ),
    cell(
      `${pct1(a.worst30Min)}${
        floor?.multiple != null
          ? ` <span class="sub">${floor.multiple.toFixed(2)}× floor ${pct1(floor.worst30Min)}</span>`
          : ""
      }`,
      a.worst30Min > RULES.worst30Min + 1e-12
        ? `Over ${pct1(RULES.worst30Min)} in its worst 30 minutes`
        : null,
    ),
    cell(`${c.idleBetweenCalls.mean.toFixed(1)} / ${c.idleBetweenCalls.p90.toFixed(1)}`),
    cell(matchedText),
  ].join("")}<td class="words">${unbroken(escapeHtml(tuningText(c.tuning)))}</td></tr>`;
}

/** The frontier chart's data: cxo's frontier, each other controller's point (matched seeds when known). */
function frontierData(report: BenchReport) {
  const best = headlineBaseline(report)?.name ?? null;
  const points = report.controllers
    .filter((c) => c.name !== "cxo")
    .map((c) => ({
      name: c.name,
      abandonment: c.matched ? c.matched.abandonment : c.abandonment.mean,
      connects: c.matched ? c.matched.connectsPerAgentHour : c.connectsPerAgentHour,
      shown: c.name === best || c.name === "progressive",
    }));
  const frontier = (report.frontier ?? []).map((p) => ({
    abandonment: p.abandonment,
    connects: p.connectsPerAgentHour,
  }));
  return { best, points, frontier };
}

export function benchHtml(report: BenchReport): string {
  const script = uplotAsset("uPlot.iife.min.js").replace(/<\/script/gi, "<\\/script");
  const css = uplotAsset("uPlot.min.css");
  const target = report.limits?.target ?? 0.03;
  const rows = report.controllers.map((c) => tableRow(report, c)).join("\n");
  const sentence = headline(report);
  const data = JSON.stringify({
    target,
    ceiling: report.ceiling.connectsPerAgentHour,
    frontier: frontierData(report),
    series: report.series,
  }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">${HTML_GENERATOR_META}
<title>Pacing bench: ${escapeHtml(report.scenario)}</title>
<style>${css}
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1360px}
.headline{font-size:18px;line-height:1.4;margin:8px 0 12px;max-width:60em}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:12.5px;width:100%}
td,th{border:1px solid #ccc;padding:3px 5px;text-align:right;vertical-align:top}
/* Figures never break; headers and the tuning cell wrap between words only, never inside one. */
td{white-space:nowrap} th{font-weight:600;white-space:normal;overflow-wrap:normal;word-break:normal;hyphens:none}
th[scope=row]{text-align:left;white-space:nowrap}
td.words{white-space:normal;overflow-wrap:normal;word-break:normal;hyphens:none;text-align:left;min-width:9em;max-width:16em}
td .sub{display:block;color:#666;font-size:11px;white-space:normal}
td.breaks{color:#b00020;font-weight:600;background:#fdecee}
.key{font-size:12px;color:#444;max-width:60em} .breaks-sample{color:#b00020;font-weight:600}
.chart{display:inline-block;margin:8px;vertical-align:top} .chart h3{font-size:14px;margin:0 0 2px}
</style>
</head>
<body>
<h1 style="font-size:20px">Pacing bench: ${escapeHtml(report.scenario)}</h1>
${sentence ? `<p class="headline" id="headline">${unbroken(escapeHtml(sentence))}</p>` : ""}
<p class="key">${report.replications} replication(s) × ${report.days} day(s) per controller on the same simulated calls (seed ${report.seed}); the comparison at the same abandonment reads cxo's frontier on the first seeds. Ceiling: ${report.ceiling.connectsPerAgentHour.toFixed(
    2,
  )} connects per agent-hour at 100% occupancy. This scenario's run took ${report.wallSeconds.toFixed(1)} s.</p>
<div class="table-wrap"><table>
${unbroken(`<tr><th>controller</th><th>connects per agent-hour</th><th>occupancy</th><th>abandonment (95% interval)</th><th>days over target</th><th>worst legal window</th><th>worst 30 min (÷ noise floor)</th><th>idle between calls (s), mean / p90</th><th>cxo at the same abandonment</th><th>tuning</th></tr>`)}
${rows}
</table></div>
<p class="key" id="rules-key"><span class="breaks-sample">✗</span> marks a figure that breaks a documented rule: the worst legal window over the ${pct1(
    target,
  )} target; more than ${pct1(RULES.daysOver)} of days over the target; a worst 30 minutes over ${pct1(
    RULES.worst30Min,
  )}. Under each worst 30 minutes, its multiple of the noise floor: the worst 30 minutes a perfectly steady controller with the same mean abandonment and the same live answers per minute would show by chance; 1× is chance alone.</p>
<h2 style="font-size:16px">Connects per agent-hour against abandonment</h2>
<p class="key">cxo's line: its connects at each abandonment it can be set to. A dot: another controller on the same seeds. A dot below the line is a controller cxo beats at the same abandonment. Other controllers: click a name in the legend.</p>
<div id="front" class="chart"></div>
<h2 style="font-size:16px">Each controller's day (replication 1, averaged over its days, 5-minute slots)</h2>
<p class="key">Every abandonment chart has the same scale; the dashed line is the ${pct1(target)} legal limit.</p>
<div id="days"></div>
<script>${LOCALE_GUARD_JS}</script>
<script>${script}</script>
<script>
const d = ${data};
const pct = (digits) => (u, v) => v.map((x) => x == null ? "" : (x * 100).toFixed(digits) + "%");
// From 0 to at least "floor", and above the highest value: a series over the axis is never clipped.
const upTo = (floor) => (u, min, max) => [0, Math.max(floor, (max ?? 0) * 1.1)];
// The scales in effect, on each chart's element, for people and tests to read off the page.
const shown = (extra) => ({ setScale: [(u, key) => { const box = u.root.parentElement; box.dataset[key + "Min"] = String(u.scales[key].min); box.dataset[key + "Max"] = String(u.scales[key].max); }], ...(extra || {}) });
const clock = (u, v) => v.map((h) => String(Math.floor(h)).padStart(2, "0") + ":" + String(Math.round((h % 1) * 60)).padStart(2, "0"));
const colours = ["#2471a3","#27ae60","#8e44ad","#d35400","#16a085","#7f8c8d","#b7950b","#2c3e50","#e84393"];
// A vertical dashed line at the legal limit.
const legalLine = (u) => { const x = u.valToPos(d.target, "x", true); const c = u.ctx; c.save(); c.strokeStyle = "#555"; c.setLineDash([6, 4]); c.lineWidth = 1.5; c.beginPath(); c.moveTo(x, u.bbox.top); c.lineTo(x, u.bbox.top + u.bbox.height); c.stroke(); c.restore(); };
const width = (wanted) => Math.max(320, Math.min(wanted, document.body.clientWidth - 40));
// The frontier: cxo's line, each other controller a dot (the best baseline and progressive shown).
{
  const f = d.frontier;
  const xs = [...new Set([...f.frontier.map((p) => p.abandonment), ...f.points.map((p) => p.abandonment)])].sort((a, b) => a - b);
  const at = (list, x) => { const p = list.find((q) => q.abandonment === x); return p ? p.connects : null; };
  const top = Math.max(d.target * 1.15, ...xs) * 1.1;
  const chart = new uPlot({
    width: width(760), height: 380, legend: { live: false }, hooks: shown({ draw: [legalLine] }),
    scales: { x: { time: false, range: [0, top] }, y: { range: [0, d.ceiling * 1.05] } },
    axes: [{ label: "abandonment (realised; dashed: the legal limit)", values: pct(1) }, { label: "connects per agent-hour", size: 50 }],
    series: [
      { label: "abandonment" },
      { label: "cxo", stroke: "#c0392b", width: 2.5, spanGaps: true, points: { show: true, size: 6 } },
      ...f.points.map((p, i) => ({ label: p.name, show: p.shown, stroke: colours[i % colours.length], fill: colours[i % colours.length], width: 0, paths: () => null, points: { show: true, size: 11 } })),
      { label: "ceiling (100% occupancy)", stroke: "#999", dash: [3, 3], width: 1, points: { show: false } },
    ],
  }, [xs, xs.map((x) => at(d.frontier.frontier, x)), ...f.points.map((p) => xs.map((x) => (x === p.abandonment ? p.connects : null))), xs.map(() => d.ceiling)], document.getElementById("front"));
  document.getElementById("front").dataset.shownSeries = chart.series.filter((s, i) => i > 0 && s.show).map((s) => s.label).join(",");
}
// One abandonment scale for every day chart: the legal line and the highest slot of any controller.
const abandonmentTop = Math.max(d.target * 1.5, ...d.series.flatMap((s) => s.abandonment.filter((x) => x != null))) * 1.1;
for (const s of d.series) {
  const el = document.createElement("div");
  el.className = "chart";
  el.dataset.controller = s.controller;
  const title = document.createElement("h3");
  title.textContent = s.controller;
  const top = document.createElement("div");
  const bottom = document.createElement("div");
  el.append(title, top, bottom);
  document.getElementById("days").appendChild(el);
  const x = s.ratio.map((_, i) => 9 + (i * 5) / 60);
  // The ratio and the live answer rate that drives it; abandonment on its own axis below, against
  // the legal line (on the answer rate's 0-40% axis it would lie on the floor).
  new uPlot({
    width: 420, height: 190, legend: { live: false }, hooks: shown(),
    scales: { x: { time: false }, r: { range: upTo(3) }, p: { range: upTo(0.4) } },
    axes: [{ space: 60, values: clock }, { scale: "r", label: "lines per agent", size: 50 }, { scale: "p", side: 1, grid: { show: false }, values: pct(0), size: 50 }],
    series: [{ label: "time" }, { label: "lines per agent", scale: "r", stroke: "#2471a3", width: 2 }, { label: "live answer rate (right)", scale: "p", stroke: "#7f8c8d" }],
  }, [x, s.ratio, s.answerRate], top);
  new uPlot({
    width: 420, height: 150, legend: { live: false }, hooks: shown(),
    scales: { x: { time: false }, a: { range: [0, abandonmentTop] } },
    axes: [{ space: 60, values: clock }, { scale: "a", label: "abandonment", values: pct(0), size: 60 }],
    series: [{ label: "time" }, { label: "abandonment", scale: "a", stroke: "#c0392b", width: 2 }, { label: (d.target * 100).toFixed(1) + "% legal limit", scale: "a", stroke: "#555", dash: [6, 4], points: { show: false } }],
  }, [x, s.abandonment, x.map(() => d.target)], bottom);
}
</script>
</body>
</html>
`;
}
