import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { LOCALE_GUARD_JS } from "../../../core/locale-guard.ts";
import type { SweepResult } from "../sweep.ts";
import { escapeXml } from "./svg.ts";

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
  const recommendation =
    sweep.recommendedMaxRatio === null
      ? `No ratio in the sweep keeps the 95% CI upper bound of abandonment at or under ${(sweep.target * 100).toFixed(1)}%.`
      : `Recommended maximum dial ratio: <b>${sweep.recommendedMaxRatio}</b> (largest ratio whose abandonment 95% CI upper bound is ≤ the ${(sweep.target * 100).toFixed(1)}% target).`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(title)}</title>
<style>${css}
body{font-family:sans-serif;margin:24px;color:#222}
</style>
</head>
<body>
<h1 style="font-size:18px">${escapeXml(title)}</h1>
<p>${recommendation} Mode ${escapeXml(sweep.mode)}, ${sweep.hours} simulated hour(s) per point, seed ${sweep.seed}.</p>
<div id="chart"></div>
<script>${LOCALE_GUARD_JS}</script>
<script>${script}</script>
<script>
const d = ${inlineJson(data)};
const pct = (v) => v == null ? "" : (v * 100).toFixed(1) + "%";
const marks = {
  hooks: {
    draw: [(u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.setLineDash([6, 4]);
      ctx.strokeStyle = "#555";
      const ty = u.valToPos(d.target, "ab", true);
      ctx.beginPath(); ctx.moveTo(u.bbox.left, ty); ctx.lineTo(u.bbox.left + u.bbox.width, ty); ctx.stroke();
      if (d.recommended !== null) {
        ctx.setLineDash([]);
        ctx.strokeStyle = "#27ae60";
        ctx.lineWidth = 2;
        const rx = u.valToPos(d.recommended, "x", true);
        ctx.beginPath(); ctx.moveTo(rx, u.bbox.top); ctx.lineTo(rx, u.bbox.top + u.bbox.height); ctx.stroke();
      }
      ctx.restore();
    }],
  },
};
new uPlot({
  width: 900, height: 460, plugins: [marks],
  scales: { x: { time: false }, ab: { range: (u, min, max) => [0, Math.max(max, d.target * 1.5)] }, occ: { range: [0, 1] } },
  axes: [
    { label: "dial ratio" },
    { scale: "ab", label: "abandonment", values: (u, vals) => vals.map(pct) },
    { scale: "occ", side: 1, label: "occupancy", grid: { show: false }, values: (u, vals) => vals.map(pct) },
  ],
  series: [
    { label: "dial ratio" },
    { label: "abandonment", scale: "ab", stroke: "#c0392b", width: 2, value: (u, v) => pct(v) },
    { label: "95% CI upper bound", scale: "ab", stroke: "#e67e22", dash: [4, 3], value: (u, v) => pct(v) },
    { label: "occupancy", scale: "occ", stroke: "#2471a3", width: 2, value: (u, v) => pct(v) },
  ],
}, [d.x, d.abandonment, d.ciHigh, d.occupancy], document.getElementById("chart"));
</script>
</body>
</html>
`;
}
