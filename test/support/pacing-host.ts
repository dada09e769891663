import type { Store } from "../../src/core/store/index.ts";
import { type PacingHost, pacingHostOver } from "../../src/sdk/pacing-host.ts";
import { runtimeOverPort } from "./runtime-over-port.ts";

/**
 * The live pacer's host (src/sdk/pacing-host.ts) as the SDK builds it, over a client runtime
 * whose port is `port`, a double answering only what the test needs; writes go into `store`.
 */
export function pacingHostOnPort(port: object, store: Store): PacingHost {
  return pacingHostOver(runtimeOverPort(port), store);
}
