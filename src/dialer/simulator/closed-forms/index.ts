/** Pure queueing formulas for dialer planning; no I/O. Rates and times in one unit per call. */
export { birthDeathErlangA } from "./birth-death.ts";
export { erlangA, logSeriesA } from "./erlang-a.ts";
export { erlangB, serversForBlocking } from "./erlang-b.ts";
export { erlangC } from "./erlang-c.ts";
export { impatientQueue, mmnD } from "./impatient-queue.ts";
export { deterministicPatience, exponentialPatience, type Patience } from "./patience.ts";
export { progressive } from "./progressive.ts";
