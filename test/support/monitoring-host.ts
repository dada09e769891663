import type { ComplianceEngine } from "../../src/compliance/engine.ts";
import { type MonitoringHost, monitoringHostOver } from "../../src/sdk/monitoring-host.ts";
import { ClientRuntime } from "../../src/sdk/runtime.ts";
import { runtimeOverPort } from "./runtime-over-port.ts";

/**
 * The leader's watches' host (src/sdk/monitoring-host.ts) as the SDK builds it, over `runtime` (a
 * client's, `runtimeOf(client)`) or over a client runtime whose port is `port`, a double
 * answering only what the test needs; its diagnoses judged with the test's own `engine`.
 */
export function monitoringHostOn(
  runtimeOrPort: ClientRuntime | object,
  engine: ComplianceEngine,
): MonitoringHost {
  const runtime = runtimeOrPort instanceof ClientRuntime ? runtimeOrPort : runtimeOverPort(runtimeOrPort);
  return monitoringHostOver({
    port: runtime.port,
    calls: runtime.calls,
    clock: runtime.clock,
    complianceEngine: async () => engine,
  });
}
