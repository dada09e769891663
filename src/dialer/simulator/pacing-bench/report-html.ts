import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { escapeHtml } from "../../../core/html-escape.ts";
import { LOCALE_GUARD_JS } from "../../../core/locale-guard.ts";
import { HTML_GENERATOR_META } from "../../../core/safe-write.ts";
import type { BenchReport } from "./bench.ts";

/**
 * The pacing bench as one self-contained HTML file: the table, the occupancy-vs-abandonment
 * front and each controller's average day (ratio, answer rate, abandonment), drawn with uPlot
 * inlined from node_modules (nothing fetched from a CDN).
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

export function benchHtml(report: BenchReport): string {
  const script = uplotAsset("uPlot.iife.min.js").replace(/<\/script/gi, "<\\/script");
  const css = uplotAsset("uPlot.min.css");
  const rows = report.controllers
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.name)}</td><td>${c.connectsPerAgentHour.toFixed(2)}</td><td>${pct(c.occupancy)}</td><td>${pct(
          c.abandonment.mean,
        )} [${pct(c.abandonment.ci95[0])}, ${pct(c.abandonment.ci95[1])}]</td><td>${pct(c.abandonment.shareOfDaysOver)}</td><td>${pct(
          c.abandonment.worstWindow,
        )}</td><td>${pct(c.abandonment.worst30Min)}</td><td>${pct(c.abandonment.worst60Min)}</td><td>${c.idleBetweenCalls.mean.toFixed(
          1,
        )} / ${c.idleBetweenCalls.p90.toFixed(1)}</td><td>${
          c.matched?.ratio ? `${c.matched.ratio.toFixed(3)}× at ${pct(c.matched.abandonment)}` : ""
        }</td><td>${escapeHtml(tuningText(c.tuning))}</td></tr>`,
    )
    .join("\n");
  const data = JSON.stringify({ front: report.front, series: report.series }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">${HTML_GENERATOR_META}
<title>Pacing bench: ${escapeHtml(report.scenario)}</title>
<style>${css}
body{font-family:system-ui,sans-serif;margin:24px;color:#222} table{border-collapse:collapse;font-size:13px;max-width:100%}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right} td:first-child{text-align:left}
/* The tuning cell is words: it wraps inside its cell, never widens the page. */
td:last-child{max-width:22em;white-space:normal;overflow-wrap:anywhere;text-align:left}
.chart{display:inline-block;margin:8px;vertical-align:top} .chart h3{font-size:14px;margin:0 0 2px}
</style>
</head>
<body>
<h1 style="font-size:18px">Pacing bench: ${escapeHtml(report.scenario)}</h1>
<p>${report.replications} replication(s) × ${report.days} day(s) per controller, common random numbers (seed ${report.seed}); ceiling ${report.ceiling.connectsPerAgentHour.toFixed(2)} connects per agent-hour at 100% occupancy; ${report.wallSeconds.toFixed(1)} s.</p>
<table>
<tr><th>controller</th><th>connects / agent-hour</th><th>occupancy</th><th>abandonment (95% CI)</th><th>days over target</th><th>worst legal window</th><th>worst 30 min</th><th>worst 60 min</th><th>idle between calls mean / p90 (s)</th><th>cxo ÷ this at its abandonment</th><th>tuning</th></tr>
${rows}
</table>
<h2 style="font-size:16px">Occupancy at abandonment ≤ 1%, 2%, 3% (baselines: tuning seeds; cxo: its frontier)</h2>
<div id="front" class="chart"></div>
<h2 style="font-size:16px">Each controller's day (replication 1, averaged over its days, 5-minute slots)</h2>
<div id="days"></div>
<script>${LOCALE_GUARD_JS}</script>
<script>${script}</script>
<script>
const d = ${data};
const pct = (digits) => (u, v) => v.map((x) => (x * 100).toFixed(digits) + "%");
// From 0 to at least "floor", and above the highest value: a series over the axis is never clipped.
const upTo = (floor) => (u, min, max) => [0, Math.max(floor, (max ?? 0) * 1.1)];
// The scales in effect, on each chart's element, for people and tests to read off the page.
const shown = { setScale: [(u, key) => { const box = u.root.parentElement; box.dataset[key + "Min"] = String(u.scales[key].min); box.dataset[key + "Max"] = String(u.scales[key].max); }] };
const clock = (u, v) => v.map((h) => String(Math.floor(h)).padStart(2, "0") + ":" + String(Math.round((h % 1) * 60)).padStart(2, "0"));
const colours = ["#c0392b","#2471a3","#27ae60","#8e44ad","#d35400","#16a085","#7f8c8d","#f1c40f","#2c3e50","#e84393"];
const names = [...new Set(d.front.map((p) => p.controller))];
// The three targets are the only x values: one tick each ("1%", "2%", "3%"), never "1%, 1%, 2%".
new uPlot({
  width: 720, height: 360, legend: { live: false }, hooks: shown,
  scales: { x: { time: false, range: [0.005, 0.035] }, y: { range: [0, 1] } },
  axes: [{ label: "abandonment target", splits: () => [0.01, 0.02, 0.03], values: pct(0) }, { label: "occupancy", values: pct(0), size: 60 }],
  series: [{ label: "target" }, ...names.map((n, i) => ({ label: n, stroke: colours[i % colours.length], width: 2, points: { show: true } }))],
}, [[0.01, 0.02, 0.03], ...names.map((n) => [0.01, 0.02, 0.03].map((t) => (d.front.find((p) => p.controller === n && p.target === t) || {}).occupancy ?? null))], document.getElementById("front"));
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
  // the 3% line (on the answer rate's 0-40% axis it would lie on the floor).
  new uPlot({
    width: 440, height: 200, legend: { live: false }, hooks: shown,
    scales: { x: { time: false }, r: { range: upTo(3) }, p: { range: upTo(0.4) } },
    axes: [{ space: 60, values: clock }, { scale: "r", label: "ratio", size: 50 }, { scale: "p", side: 1, grid: { show: false }, values: pct(0), size: 50 }],
    series: [{ label: "time" }, { label: "ratio", scale: "r", stroke: "#2471a3", width: 2 }, { label: "live answer rate (right)", scale: "p", stroke: "#7f8c8d" }],
  }, [x, s.ratio, s.answerRate], top);
  new uPlot({
    width: 440, height: 150, legend: { live: false }, hooks: shown,
    scales: { x: { time: false }, a: { range: upTo(0.04) } },
    axes: [{ space: 60, values: clock }, { scale: "a", label: "abandonment", values: pct(1), size: 60 }],
    series: [{ label: "time" }, { label: "abandonment", scale: "a", stroke: "#c0392b", width: 2 }, { label: "3% legal line", scale: "a", stroke: "#555", dash: [6, 4], points: { show: false } }],
  }, [x, s.abandonment, x.map(() => 0.03)], bottom);
}
</script>
</body>
</html>
`;
}
