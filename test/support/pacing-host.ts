import { tmpdir } from "node:os";
import path from "node:path";
import type { CxoneHttp } from "../../src/core/http/create.ts";
import type { Store } from "../../src/core/store/index.ts";
import type { CxonePort } from "../../src/platform/port.ts";
import { type PacingHost, pacingHostOver } from "../../src/sdk/pacing-host.ts";
import { ClientRuntime } from "../../src/sdk/runtime.ts";

/**
 * The live pacer's host (src/sdk/pacing-host.ts) as the SDK builds it, over a client runtime
 * whose port is `port`, a double answering only what the test needs; writes go into `store`.
 */
export function pacingHostOnPort(port: object, store: Store): PacingHost {
  const runtime = new ClientRuntime({
    port: port as CxonePort,
    core: {} as CxoneHttp,
    dataDir: path.join(tmpdir(), "cxo-pacing-host-unused"),
    actor: "test",
    destinations: {},
  });
  return pacingHostOver(runtime, store);
}
