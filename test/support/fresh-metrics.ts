// Runs before every test file. Test files share a worker's modules (vitest.config.ts,
// isolate: false), so the process-wide metrics registry would otherwise carry samples counted
// by whichever files ran earlier in the same worker — an order that changes from run to run.
import { metricsRegistry } from "../../src/core/metrics/index.ts";

metricsRegistry.resetMetrics();
