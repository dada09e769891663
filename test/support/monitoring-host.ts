import { tmpdir } from "node:os";
import path from "node:path";
import type { ComplianceEngine } from "../../src/compliance/engine.ts";
import type { CxoneHttp } from "../../src/core/http/create.ts";
import type { CxonePort } from "../../src/platform/port.ts";
import { type MonitoringHost, monitoringHostOver } from "../../src/sdk/monitoring-host.ts";
import { ClientRuntime } from "../../src/sdk/runtime.ts";

/**
 * The leader's watches' host (src/sdk/monitoring-host.ts) as the SDK builds it, over `runtime` (a
 * client's, `runtimeOf(client)`) or over a client runtime whose port is `port`, a double
 * answering only what the test needs; its diagnoses judged with the test's own `engine`.
 */
export function monitoringHostOn(
  runtimeOrPort: ClientRuntime | object,
  engine: ComplianceEngine,
): MonitoringHost {
  const runtime =
    runtimeOrPort instanceof ClientRuntime
      ? runtimeOrPort
      : new ClientRuntime({
          port: runtimeOrPort as CxonePort,
          core: {} as CxoneHttp,
          dataDir: path.join(tmpdir(), "cxo-monitoring-host-unused"),
          actor: "test",
          destinations: {},
        });
  return monitoringHostOver({
    port: runtime.port,
    calls: runtime.calls,
    clock: runtime.clock,
    complianceEngine: async () => engine,
  });
}
