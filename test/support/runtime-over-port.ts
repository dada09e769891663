import { tmpdir } from "node:os";
import path from "node:path";
import type { CxoneHttp } from "../../src/core/http/create.ts";
import type { CxonePort } from "../../src/platform/port.ts";
import { ClientRuntime } from "../../src/sdk/runtime.ts";

/**
 * A client runtime whose port is `port`, a double answering only what the test needs (no HTTP
 * core, a data dir never opened), acting as `actor`: what the SDK's hosts and groups are built
 * over in tests of them.
 */
export function runtimeOverPort(port: object, actor = "test"): ClientRuntime {
  return new ClientRuntime({
    port: port as CxonePort,
    core: {} as CxoneHttp,
    dataDir: path.join(tmpdir(), "cxo-runtime-over-port-unused"),
    actor,
    destinations: {},
  });
}
