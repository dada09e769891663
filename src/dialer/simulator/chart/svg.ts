import { escapeHtml } from "../../../core/html-escape.ts";
import type { SweepResult } from "../sweep.ts";

/**
 * The sweep as a small self-contained SVG (no script, no fonts to fetch): abandonment and its
 * 95% CI upper bound on the left axis, occupancy on the right, the target as a horizontal
 * line and the recommended maximum ratio as a vertical one. Hand-built because it is ~100
 * lines and renders anywhere (browsers, GitHub, docs); the HTML version is interactive.
 */
const W = 860;
const H = 460;
const M = { left: 64, right: 70, top: 48, bottom: 56 };
/** Title characters a line holds at 15 px across the chart's width, and the line height. */
const TITLE_CHARS = 95;
const TITLE_LINE = 19;
const COLORS = {
  abandonment: "#c0392b",
  ci: "#e67e22",
  occupancy: "#2471a3",
  target: "#555",
  recommended: "#27ae60",
};

export function sweepSvg(sweep: SweepResult, title: string): string {
  const xs = sweep.points.map((p) => p.dialRatio);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs) > xMin ? Math.max(...xs) : xMin + 1;
  const abandonMax = niceCeiling(Math.max(sweep.target * 1.5, ...sweep.points.map((p) => p.ci95High)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (v: number) => M.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const yLeft = (v: number) => M.top + plotH - (Math.min(v, abandonMax) / abandonMax) * plotH;
  const yRight = (v: number) => M.top + plotH - Math.min(1, v) * plotH;
  const path = (values: Array<[number, number]>) =>
    values.map(([a, b], i) => `${i === 0 ? "M" : "L"}${a.toFixed(1)},${b.toFixed(1)}`).join(" ");

  // SVG text does not wrap: a long title (a named campaign's) is cut into lines that fit, and the
  // chart moves down by the lines added (one line ran off both edges at 860 px).
  const titleLines = wrapWords(title, TITLE_CHARS);
  const extra = (titleLines.length - 1) * TITLE_LINE;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" data-generator="cxone-outbound" width="${W}" height="${H + extra}" viewBox="0 0 ${W} ${H + extra}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H + extra}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${titleLines
      .map((line, i) => `<tspan x="${W / 2}" dy="${i === 0 ? 0 : TITLE_LINE}">${escapeHtml(line)}</tspan>`)
      .join("")}</text>`,
    `<g transform="translate(0,${extra})">`,
  );
  for (let i = 0; i <= 5; i++) {
    const value = (abandonMax * i) / 5;
    const y = yLeft(value);
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="${COLORS.abandonment}">${pct(value)}</text>`,
      `<text x="${W - M.right + 6}" y="${(yRight(i / 5) + 4).toFixed(1)}" fill="${COLORS.occupancy}">${pct(i / 5, 0)}</text>`,
    );
  }
  for (const v of xTicks(xMin, xMax)) {
    parts.push(
      `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${M.top + plotH}" y2="${M.top + plotH + 5}" stroke="#333"/>`,
      `<text x="${x(v).toFixed(1)}" y="${M.top + plotH + 19}" text-anchor="middle">${v}</text>`,
    );
  }
  parts.push(
    `<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${M.left + plotW / 2}" y="${H - 14}" text-anchor="middle">dial ratio (lines per available agent)</text>`,
    `<text transform="translate(16,${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${COLORS.abandonment}">abandonment</text>`,
    `<text transform="translate(${W - 14},${M.top + plotH / 2}) rotate(90)" text-anchor="middle" fill="${COLORS.occupancy}">occupancy</text>`,
  );
  const ty = yLeft(sweep.target);
  parts.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="${COLORS.target}" stroke-dasharray="6 4"/>`,
    `<text x="${M.left + 6}" y="${(ty - 6).toFixed(1)}" fill="${COLORS.target}">target ${pct(sweep.target)}</text>`,
  );
  if (sweep.recommendedMaxRatio !== null) {
    const rx = x(sweep.recommendedMaxRatio);
    parts.push(
      `<line x1="${rx.toFixed(1)}" x2="${rx.toFixed(1)}" y1="${M.top}" y2="${M.top + plotH}" stroke="${COLORS.recommended}" stroke-width="2"/>`,
      `<text x="${(rx + 6).toFixed(1)}" y="${M.top + 16}" fill="${COLORS.recommended}">recommended max ${sweep.recommendedMaxRatio}</text>`,
    );
  }
  parts.push(
    `<path d="${path(sweep.points.map((p) => [x(p.dialRatio), yLeft(p.ci95High)]))}" fill="none" stroke="${COLORS.ci}" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    `<path d="${path(sweep.points.map((p) => [x(p.dialRatio), yLeft(p.abandonment)]))}" fill="none" stroke="${COLORS.abandonment}" stroke-width="2"/>`,
    `<path d="${path(sweep.points.map((p) => [x(p.dialRatio), yRight(p.occupancy)]))}" fill="none" stroke="${COLORS.occupancy}" stroke-width="2"/>`,
  );
  const legend: Array<[string, string, string]> = [
    ["abandonment", COLORS.abandonment, ""],
    ["95% CI upper bound", COLORS.ci, "4 3"],
    ["occupancy", COLORS.occupancy, ""],
  ];
  legend.forEach(([label, color, dash], i) => {
    const lx = M.left + 10 + i * 190;
    parts.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${M.top - 12}" y2="${M.top - 12}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
      `<text x="${lx + 30}" y="${M.top - 8}">${label}</text>`,
    );
  });
  parts.push("</g>", "</svg>");
  return `${parts.join("\n")}\n`;
}

/** `text` in lines of at most `width` characters, cut at spaces (a longer word gets a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

function pct(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

function niceCeiling(value: number): number {
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1];
  return steps.find((s) => s >= value) ?? 1;
}

function xTicks(min: number, max: number): number[] {
  const span = max - min;
  const step = span <= 2 ? 0.25 : span <= 5 ? 0.5 : span <= 10 ? 1 : 2;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) ticks.push(Number(v.toFixed(2)));
  return ticks;
}
