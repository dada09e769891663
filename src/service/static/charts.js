// @ts-check
// The card charts (uPlot, served from node_modules). Each chart has its own legend in the page,
// not uPlot's hover legend: every series prints its latest value, so a screenshot or a printout
// reads without a mouse. Abandonment has its own axis with the legal 3 % line drawn and named.
/** @import { MetricPoint } from "../answers/board.ts" */
/** @import uPlotType from "uplot" */
import { tickLabels } from "./format.js";

const uPlot = globalThis.uPlot;

/**
 * One column of a chart's table: epoch seconds (the first), or a series' values (null: no reading).
 * @typedef {Array<number | null>} Column
 */
/**
 * A chart of a card: new columns, a new width, gone.
 * @typedef {{ plot: uPlotType, update(columns: Column[]): void, resize(): void, destroy(): void }} Chart
 */
/**
 * A series as a chart draws it and prints it in its legend.
 * @typedef {object} SeriesSpec
 * @property {string} key
 * @property {string} label
 * @property {string} scale
 * @property {string} stroke
 * @property {number} [width]
 * @property {number[]} [dash]
 * @property {string} [fill]
 * @property {boolean} [stepped]
 * @property {(v: number | null) => string} format
 */
/**
 * @typedef {object} ChartSpec
 * @property {number} [height]
 * @property {Record<string, uPlotType.Scale>} scales
 * @property {uPlotType.Axis[]} axes
 * @property {SeriesSpec[]} series
 */
/** A reading on a chart, or the gap marker `withGaps` puts where the source was silent. */
/** @typedef {MetricPoint | { t: number, successRate: null, activeCalls: null, abandonmentRate: null, gap: true }} ChartPoint */
export const LEGAL_LIMIT = 0.03;

const COLORS = {
  success: "#1f6feb",
  calls: "#8a8f98",
  abandon: "#d9480f",
  window: "#7c2d12",
  legal: "#b42318",
  target: "#a86400",
  ratio: "#0f766e",
  cap: "#5d6675",
};

/** The shortest time a chart's x axis spans, in seconds. */
const MIN_SPAN_S = 120;

/** @returns {uPlotType.Scale} */
function xScale() {
  return {
    time: true,
    // With one point (or equal times) uPlot pads a time axis by years, and readings a second
    // apart got ticks a fraction of a second apart, each labelled with the same second
    // ("13:31:52" four times): at least two minutes, centred on the readings.
    range: (u, min, max) => {
      const xs = /** @type {number[]} */ (u.data[0]);
      if (xs.length === 0) {
        const now = Date.now() / 1000;
        return [now - 600, now];
      }
      const first = xs[0] ?? min;
      const last = xs[xs.length - 1] ?? max;
      if (last - first >= MIN_SPAN_S) return [min, max];
      const middle = (first + last) / 2;
      return [middle - MIN_SPAN_S / 2, middle + MIN_SPAN_S / 2];
    },
  };
}

/** A step line's paths (uPlot's IIFE build has every path builder). */
function steppedPaths() {
  const stepped = uPlot.paths.stepped;
  if (!stepped) throw new Error("uPlot without its stepped paths");
  return stepped({ align: 1 });
}

/** @returns {uPlotType.Axis} */
function xAxis() {
  // 80 px between ticks at least: "14:05:30" never touches its neighbour.
  return { space: 80, size: 44, values: (_u, splits) => tickLabels(splits), grid: { stroke: "#eef0f3" } };
}

/** @type {CanvasRenderingContext2D | null | undefined} */
let measure;
/**
 * The x axis's tick labels as drawn (uPlot draws them on the canvas, where no test can see
 * them): each label, its centre and width in CSS pixels, on `data-x-ticks`, so a test can prove
 * that no two labels overlap or read alike.
 */
function recordTicks(/** @type {uPlotType} */ u, /** @type {HTMLElement} */ box) {
  // What uPlot drew last: its axes keep the splits and labels (not in its published types).
  const axis = /** @type {{ _splits?: number[], _values?: unknown[] }} */ (u.axes[0]);
  const splits = axis._splits ?? [];
  const labels = axis._values ?? [];
  measure ??= document.createElement("canvas").getContext("2d");
  const context = measure;
  if (!context) return;
  context.font =
    '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
  /** @type {Array<{ label: string, x: number, w: number }>} */
  const ticks = [];
  splits.forEach((split, i) => {
    const label = labels[i];
    if (label === null || label === undefined || label === "") return;
    const width = Math.max(
      ...String(label)
        .split("\n")
        .map((line) => context.measureText(line).width),
    );
    ticks.push({ label: String(label), x: u.valToPos(split, "x"), w: width });
  });
  box.dataset.xTicks = JSON.stringify(ticks);
}

/** The readings of a column (no gaps). */
const finite = (/** @type {ArrayLike<number | null | undefined>} */ column) =>
  /** @type {number[]} */ (
    Array.from(column).filter((v) => v !== null && v !== undefined && Number.isFinite(v))
  );

/**
 * A chart in `box` with a printed legend in `legendBox`. `columns` (of `update`) are [xs (epoch
 * s), ...one array per series].
 * @param {HTMLElement} box
 * @param {HTMLElement} legendBox
 * @param {ChartSpec} spec
 * @returns {Chart}
 */
function chart(box, legendBox, spec) {
  /** @type {uPlotType.Series[]} */
  const series = [
    {},
    ...spec.series.map((s) => ({
      label: s.label,
      scale: s.scale,
      stroke: s.stroke,
      width: s.width ?? 2,
      ...(s.dash ? { dash: s.dash } : {}),
      ...(s.fill ? { fill: s.fill } : {}),
      ...(s.stepped ? { paths: steppedPaths() } : {}),
      // No line across a gap: a missing reading is a gap, not a straight line to the next one.
      spanGaps: false,
      points: { show: (/** @type {uPlotType} */ u) => u.data[0].length < 3 },
    })),
  ];
  /** @type {uPlotType.Options} */
  const options = {
    width: Math.max(280, box.clientWidth || 440),
    height: spec.height ?? 150,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    hooks: {
      setScale: [
        (u, key) => {
          if (key !== "x") return;
          box.dataset.xMin = String(u.scales.x.min);
          box.dataset.xMax = String(u.scales.x.max);
        },
      ],
      draw: [(u) => recordTicks(u, box)],
    },
    scales: { x: xScale(), ...spec.scales },
    axes: [xAxis(), ...spec.axes],
    series,
  };
  /** @type {uPlotType.AlignedData} */
  const data = [[], ...spec.series.map(() => [])];
  const plot = new uPlot(options, data, box);
  const legendItems = spec.series.map((s) => {
    const value = document.createElement("span");
    value.className = "legend-value";
    value.dataset.role = `legend-${s.key}`;
    const item = document.createElement("span");
    item.className = "legend-item";
    const swatch = document.createElement("span");
    swatch.className = s.dash ? "swatch swatch-dash" : "swatch";
    swatch.style.borderColor = s.stroke;
    item.append(swatch, `${s.label} `, value);
    legendBox.append(item);
    return { value, format: s.format };
  });
  return {
    plot,
    update(columns) {
      plot.setData(/** @type {uPlotType.AlignedData} */ (columns));
      box.dataset.points = String(columns[0].length);
      spec.series.forEach((_s, i) => {
        const column = columns[i + 1];
        let latest = null;
        for (let j = column.length - 1; j >= 0; j--)
          if (column[j] !== null && column[j] !== undefined) {
            latest = column[j];
            break;
          }
        legendItems[i].value.textContent = legendItems[i].format(latest);
      });
    },
    resize() {
      plot.setSize({ width: Math.max(280, box.clientWidth), height: options.height });
    },
    destroy() {
      plot.destroy();
    },
  };
}

const pct = (/** @type {number} */ digits) => (/** @type {number | null} */ v) =>
  v === null ? "no reading" : `${v.toFixed(digits)} %`;

/** A tick in per cent. */
const percentTicks = (/** @type {uPlotType} */ _u, /** @type {number[]} */ ticks) =>
  ticks.map((t) => `${t} %`);

/**
 * Success rate (0–100 %) and active calls, each on its own axis.
 * @param {HTMLElement} box
 * @param {HTMLElement} legendBox
 */
export function successChart(box, legendBox) {
  return chart(box, legendBox, {
    height: 150,
    scales: {
      pct: { range: [0, 100] },
      calls: { range: (_u, _min, max) => [0, Math.max(10, (max ?? 0) * 1.2)] },
    },
    axes: [
      { scale: "pct", values: percentTicks, size: 52, space: 30 },
      { scale: "calls", side: 1, grid: { show: false }, size: 44, space: 30 },
    ],
    series: [
      { key: "success", label: "Success rate", scale: "pct", stroke: COLORS.success, format: pct(1) },
      {
        key: "calls",
        label: "Active calls",
        scale: "calls",
        stroke: COLORS.calls,
        width: 1.5,
        dash: [4, 4],
        format: (v) => (v === null ? "no reading" : String(v)),
      },
    ],
  });
}

/**
 * Abandonment on its own axis, from 0 to a little above the legal line (or the highest reading),
 * with the legal 3 % line and — when paced — the campaign's target and the window's figure.
 * `recentLabel` names the window of the metric reading ("last hour", "latest webhook").
 * @param {HTMLElement} box
 * @param {HTMLElement} legendBox
 * @param {{ paced: boolean, windowLabel: string, target: number | null, recentLabel: string }} labels
 */
export function abandonmentChart(box, legendBox, { paced, windowLabel, target, recentLabel }) {
  /** @type {SeriesSpec[]} */
  const series = [
    {
      key: "abandon-recent",
      label: `Abandonment, ${recentLabel}`,
      scale: "abandon",
      stroke: COLORS.abandon,
      format: pct(2),
    },
  ];
  if (paced)
    series.push({
      key: "abandon-window",
      label: `Abandonment, ${windowLabel}`,
      scale: "abandon",
      stroke: COLORS.window,
      format: pct(2),
    });
  series.push({
    key: "legal",
    label: "Legal limit",
    scale: "abandon",
    stroke: COLORS.legal,
    width: 1.5,
    dash: [6, 4],
    format: pct(1),
  });
  if (paced && target !== null && target !== undefined && Math.abs(target - LEGAL_LIMIT) > 1e-9)
    series.push({
      key: "target",
      label: "Target",
      scale: "abandon",
      stroke: COLORS.target,
      width: 1,
      dash: [2, 3],
      format: pct(1),
    });
  return chart(box, legendBox, {
    height: 130,
    scales: {
      abandon: {
        range: (u) => {
          let max = LEGAL_LIMIT * 100;
          for (let i = 1; i < u.data.length; i++) for (const v of finite(u.data[i])) max = Math.max(max, v);
          return [0, Math.ceil(max * 1.3 * 2) / 2];
        },
      },
    },
    axes: [{ scale: "abandon", values: percentTicks, size: 52, space: 24 }],
    series,
  });
}

/**
 * The pacing ratio (a step line: it holds until the controller moves it) and its cap.
 * @param {HTMLElement} box
 * @param {HTMLElement} legendBox
 * @param {{ label: string }} options
 */
export function ratioChart(box, legendBox, { label }) {
  return chart(box, legendBox, {
    // 140 px and 14 px between ticks: room for the half steps up to 3.0 (at 120 px and 18 px
    // uPlot fell back to whole twos, and the axis read only "0.0" and "2.0").
    height: 140,
    scales: {
      ratio: {
        range: (u) => {
          let max = 1.5;
          for (let i = 1; i < u.data.length; i++) for (const v of finite(u.data[i])) max = Math.max(max, v);
          return [0, Math.ceil(max * 1.15 * 2) / 2];
        },
      },
    },
    // Whole and half steps of the ratio (1.0, 1.5, 2.0…): what an operator reads a ratio in.
    axes: [
      {
        scale: "ratio",
        incrs: [0.5, 1, 2, 5],
        values: (_u, ticks) => ticks.map((t) => t.toFixed(1)),
        size: 52,
        space: 14,
      },
    ],
    series: [
      {
        key: "ratio",
        label,
        scale: "ratio",
        stroke: COLORS.ratio,
        stepped: true,
        format: (v) => (v === null ? "none yet" : v.toFixed(2)),
      },
      {
        key: "cap",
        label: "Cap",
        scale: "ratio",
        stroke: COLORS.cap,
        width: 1.5,
        dash: [6, 4],
        format: (v) => (v === null ? "none" : v.toFixed(2)),
      },
    ],
  });
}

/**
 * Joins series sampled at different times onto one x axis (gaps stay gaps).
 * @param {Column[][]} tables
 * @returns {Column[]}
 */
export function joinColumns(tables) {
  if (tables.length === 1) return tables[0];
  return /** @type {Column[]} */ (uPlot.join(/** @type {uPlotType.AlignedData[]} */ (tables)));
}

/**
 * Puts a reading in time order: a webhook's reading carries the time CXone sent it
 * (`occurredAt`) and can arrive after a later poll's. Appended as it came, the series ran
 * backwards there, and the gap rule saw a hole behind it. Keeps the newest `max`.
 * @param {ChartPoint[]} series
 * @param {MetricPoint} point
 * @param {number} max
 * @returns {MetricPoint[]}
 */
export function insertPoint(series, point, max) {
  const out = readingsOf(series);
  let at = out.length;
  while (at > 0 && out[at - 1].t > point.t) at--;
  out.splice(at, 0, point);
  if (out.length > max) out.splice(0, out.length - max);
  return out;
}

/**
 * Readings with a break where the source was silent: the charts show the gap instead of a line
 * across it. The cadence is the readings' own: the 75th percentile of the steps between them,
 * steps under a second left out (a poll and a webhook of the same moment are one reading, not a
 * cadence of 0.2 s that would call every usual step a hole). A step over three cadences is a gap.
 * The input is never changed (gap markers are not readings: they are not kept).
 * @param {ChartPoint[]} points
 * @returns {ChartPoint[]}
 */
export function withGaps(points) {
  const readings = readingsOf(points);
  if (readings.length < 3) return readings;
  const steps = [];
  for (let i = 1; i < readings.length; i++) {
    const step = readings[i].t - readings[i - 1].t;
    if (step >= 1000) steps.push(step);
  }
  if (steps.length === 0) return readings;
  steps.sort((a, b) => a - b);
  const cadence = steps[Math.min(steps.length - 1, Math.floor(steps.length * 0.75))];
  /** @type {ChartPoint[]} */
  const out = [readings[0]];
  for (let i = 1; i < readings.length; i++) {
    const before = readings[i - 1];
    if (readings[i].t - before.t > 3 * cadence)
      out.push({
        t: before.t + cadence,
        successRate: null,
        activeCalls: null,
        abandonmentRate: null,
        gap: true,
      });
    out.push(readings[i]);
  }
  return out;
}

/** The readings of a series, without gap markers. */
function readingsOf(/** @type {ChartPoint[]} */ points) {
  return /** @type {MetricPoint[]} */ (points.filter((p) => !("gap" in p && p.gap)));
}
