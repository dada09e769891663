import { createRequire } from "node:module";
import type * as PromClient from "prom-client";

/**
 * prom-client's metric classes, loaded from their own files. Its index also loads the default
 * process metrics and, for their exemplars, @opentelemetry/api: ~80 modules and ~100 ms of CPU
 * in every `cxo` run. We register only our own metrics in our own registry.
 * package.json pins prom-client to patch releases (~), since these paths are not its API.
 */
const require = createRequire(import.meta.url);

export const Registry = require("prom-client/lib/registry.js") as typeof PromClient.Registry;
export type Registry = PromClient.Registry;
export const Counter = require("prom-client/lib/counter.js") as typeof PromClient.Counter;
export type Counter<T extends string = string> = PromClient.Counter<T>;
export const Histogram = require("prom-client/lib/histogram.js") as typeof PromClient.Histogram;
export type Histogram<T extends string = string> = PromClient.Histogram<T>;
export const Gauge = require("prom-client/lib/gauge.js") as typeof PromClient.Gauge;
export type Gauge<T extends string = string> = PromClient.Gauge<T>;
