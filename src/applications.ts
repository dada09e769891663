import { autopilotGroupOf } from "./autopilot/app.ts";
import type { ClientApplications, CxoneBaseClient } from "./sdk/client-types.ts";

/**
 * The applications built over the SDK, as a client's groups (`ClientApplications`): what
 * `createClient` (client.ts) and the CLI's client builder attach to the SDK's base client. The
 * SDK never imports an application; each application imports the SDK.
 */
export function applicationsOver(client: CxoneBaseClient): ClientApplications {
  return { autopilot: autopilotGroupOf(client) };
}
