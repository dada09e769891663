/**
 * The read-only probes: each sends the requests the adapter itself sends (or the smallest that
 * tell the fact apart), and reads what the tenant did. Nothing here writes. One file per concern
 * (issue 52 §4): what they share (read-context.ts), the tenant (tenant-probes.ts), the completed
 * contacts listing (completed-probes.ts), lists and skills (list-probes.ts), analytics
 * (analytics-probes.ts), what `cxo why` depends on (why-probes.ts).
 */
export { probeSummary, probeWfm } from "./analytics-probes.ts";
export { probeCompleted } from "./completed-probes.ts";
export { probeAdminLists, probeCallLists, probeSkills } from "./list-probes.ts";
export type { Observation, ReadContext, TenantInfo } from "./read-context.ts";
export { probeDncShapes } from "./shape-probes.ts";
export {
  BUSINESS_UNIT_FACTS,
  probeBusinessUnit,
  probeDiscovery,
  probeRequestHandling,
} from "./tenant-probes.ts";
export { probeWhyFacts } from "./why-probes.ts";
