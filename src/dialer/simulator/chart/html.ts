import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { escapeHtml } from "../../../core/html-escape.ts";
import { LOCALE_GUARD_JS } from "../../../core/locale-guard.ts";
import { HTML_GENERATOR_META } from "../../../core/safe-write.ts";
import type { SweepResult } from "../sweep.ts";

/**
 * The sweep as one self-contained, interactive HTML file: uPlot's script and stylesheet are
 * inlined from node_modules (nothing fetched from a CDN, so it opens offline and passes strict
 * content policies), with the data as inline JSON.
 */
const require = createRequire(import.meta.url);

function uplotAsset(file: "uPlot.iife.min.js" | "uPlot.min.css"): string {
  const distDir = require.resolve("uplot/dist/uPlot.iife.min.js").replace(/uPlot\.iife\.min\.js$/, "");
  return readFileSync(`${distDir}${file}`, "utf8");
}

/** JSON safe inside a <script> element. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export function sweepHtml(sweep: SweepResult, title: string): string {
  const script = uplotAsset("uPlot.iife.min.js").replace(/<\/script/gi, "<\\/script");
  const css = uplotAsset("uPlot.min.css");
  const data = {
    x: sweep.points.map((p) => p.dialRatio),
    abandonment: sweep.points.map((p) => p.abandonment),
    ciHigh: sweep.points.map((p) => p.ci95High),
    occupancy: sweep.points.map((p) => p.occupancy),
    target: sweep.target,
    recommended: sweep.recommendedMaxRatio,
  };
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const recommendation =
    sweep.recommendedMaxRatio === null
      ? `No ratio in the sweep keeps the 95% CI upper bound of abandonment at or under ${pct(sweep.target)}.`
      : `Recommended maximum dial ratio: <b>${sweep.recommendedMaxRatio}</b> (largest ratio whose abandonment 95% CI upper bound is ≤ the ${pct(sweep.target)} target).`;
  // Every figure printed: the chart's legend needs no hover and a printout loses nothing.
  const rows = sweep.points
    .map(
      (p) =>
        `<tr${p.dialRatio === sweep.recommendedMaxRatio ? ' class="rec"' : ""}><td>${p.dialRatio}</td><td>${pct(p.abandonment)}</td><td>${pct(p.ci95High)}</td><td>${pct(p.occupancy)}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">${HTML_GENERATOR_META}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}
body{font-family:system-ui,sans-serif;margin:24px auto;max-width:960px;padding:0 12px;color:#222}
h2{font-size:15px;margin:22px 0 4px}
.key{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;margin:4px 0 0}
.key span::before{content:"";display:inline-block;width:18px;margin-right:5px;vertical-align:middle;border-top:3px solid var(--c)}
.key .dash::before{border-top-style:dashed}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums;margin-top:8px}
th,td{padding:3px 12px;text-align:right;border-bottom:1px solid #eee} tr.rec td{background:#e8f6ee;font-weight:600}
</style>
</head>
<body>
<h1 style="font-size:18px">${escapeHtml(title)}</h1>
<p>${recommendation} Mode ${escapeHtml(sweep.mode)}, ${sweep.hours} simulated hour(s) per point, seed ${sweep.seed}.</p>
<h2>Abandonment against dial ratio</h2>
<div id="chart"></div>
<p class="key" id="abandonment-key"><span style="--c:#c0392b">abandonment</span><span class="dash" style="--c:#e67e22">95% CI upper bound</span><span class="dash" style="--c:#555">target ${pct(sweep.target)}</span>${sweep.recommendedMaxRatio === null ? "" : `<span style="--c:#27ae60">recommended maximum ratio ${sweep.recommendedMaxRatio}</span>`}</p>
<h2>Agent occupancy against dial ratio</h2>
<div id="occupancy"></div>
<p class="key"><span style="--c:#2471a3">occupancy</span></p>
<h2>Every point</h2>
<table id="points"><tr><th>dial ratio</th><th>abandonment</th><th>95% CI upper</th><th>occupancy</th></tr>${rows}</table>
<script>${LOCALE_GUARD_JS}</script>
<script>${script}</script>
<script>
const d = ${inlineJson(data)};
const pct = (v) => v == null ? "" : (v * 100).toFixed(1) + "%";
const width = Math.min(900, document.body.clientWidth - 24);
// The scales in effect, on each chart's element, for people and tests to read off the page.
const shown = { setScale: [(u, key) => { const box = u.root.parentElement; box.dataset[key + "Min"] = String(u.scales[key].min); box.dataset[key + "Max"] = String(u.scales[key].max); }] };
// The recommended ratio as a vertical line (named in the key under the chart).
const marks = {
  hooks: {
    draw: [(u) => {
      if (d.recommended === null) return;
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = "#27ae60";
      ctx.lineWidth = 2;
      const rx = u.valToPos(d.recommended, "x", true);
      ctx.beginPath(); ctx.moveTo(rx, u.bbox.top); ctx.lineTo(rx, u.bbox.top + u.bbox.height); ctx.stroke();
      ctx.restore();
    }],
  },
};
// Abandonment on its own axis from 0 (never sharing one with occupancy's 0-100%).
new uPlot({
  width, height: 320, plugins: [marks], legend: { show: false }, hooks: shown,
  scales: { x: { time: false }, ab: { range: (u, min, max) => [0, Math.max(max, d.target * 1.5)] } },
  axes: [
    { label: "dial ratio" },
    { scale: "ab", label: "abandonment", size: 70, values: (u, vals) => vals.map(pct) },
  ],
  series: [
    { label: "dial ratio" },
    { label: "abandonment", scale: "ab", stroke: "#c0392b", width: 2 },
    { label: "95% CI upper bound", scale: "ab", stroke: "#e67e22", dash: [4, 3] },
    { label: "target", scale: "ab", stroke: "#555", dash: [6, 4], width: 1.5, points: { show: false } },
  ],
}, [d.x, d.abandonment, d.ciHigh, d.x.map(() => d.target)], document.getElementById("chart"));
new uPlot({
  width, height: 220, plugins: [marks], legend: { show: false }, hooks: shown,
  scales: { x: { time: false }, occ: { range: [0, 1] } },
  axes: [
    { label: "dial ratio" },
    { scale: "occ", label: "occupancy", size: 70, values: (u, vals) => vals.map(pct) },
  ],
  series: [{ label: "dial ratio" }, { label: "occupancy", scale: "occ", stroke: "#2471a3", width: 2 }],
}, [d.x, d.occupancy], document.getElementById("occupancy"));
</script>
</body>
</html>
`;
}
