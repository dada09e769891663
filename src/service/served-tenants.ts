import type { Settings } from "../core/config/index.ts";
import { sharedStoreProblems, storeIdentity } from "../core/config/tenant-stores.ts";
import { TENANT_SERVICE_KEYS, webhookSecretProblems } from "../core/config/tenants.ts";
import { InputError } from "../core/input-error.ts";

/**
 * What one service for several business units refuses before it opens anything (exit 2 from
 * `cxo serve`, nothing sent to any CXone):
 * - campaign settings at the installation's level (`service.campaigns`, `.watchdogs`, `.exports`):
 *   a campaign id means nothing without its business unit (701 is another campaign in each), so
 *   they belong under `tenants.NAME.service`;
 * - a user of `service.users` granted a tenant that is not configured;
 * - a tenant whose store would be the installation's (its `dataDir` the top-level one), or two
 *   tenants on one store: every store row is its tenant's by construction, or nothing is;
 * - webhook secrets that do not bind a delivery to one tenant: the installation's
 *   `service.webhookSecret`, a tenant without its own while another has one, two tenants with one
 *   (the config loader refuses the same; this holds for the SDK's `startService` too).
 */
export function checkServedTenants(
  installation: Settings,
  tenants: ReadonlyArray<{ name: string; settings: Settings }>,
): void {
  const problems: Array<{ field: string; rule: string }> = [];
  const names = tenants.map((t) => t.name);
  for (const key of TENANT_SERVICE_KEYS)
    if (installation.service[key].length > 0)
      problems.push({
        field: `service.${key}`,
        rule: `names campaigns, but several business units are served (${names.join(", ")}) and a campaign id belongs to one: put it under tenants.NAME.service.${key}`,
      });
  // The autopilot's campaigns are one unit's too (issue 100, High): tenants.NAME.autopilot.
  if (installation.autopilot.campaigns.length > 0 && installation.autopilot.tenant === undefined)
    problems.push({
      field: "autopilot",
      rule: `names campaigns, but several business units are served (${names.join(", ")}) and a campaign id belongs to one: put it under tenants.NAME.autopilot (or name its unit with autopilot.tenant)`,
    });
  installation.service.users.forEach((user, index) => {
    for (const tenant of user.tenants ?? [])
      if (!names.includes(tenant))
        problems.push({
          field: `service.users[${index}].tenants`,
          rule: `${JSON.stringify(tenant)} is not a configured tenant (configured: ${names.join(", ")})`,
        });
  });
  problems.push(
    ...webhookSecretProblems(
      installation.service.webhookSecret,
      tenants.map((t) => ({ name: t.name, secret: t.settings.service.webhookSecret })),
    ),
  );
  problems.push(
    ...sharedStoreProblems(
      storeOf(installation),
      tenants.map((t) => ({ name: t.name, identity: storeOf(t.settings) })),
    ),
  );
  if (problems.length > 0) throw new InputError(problems);
}

function storeOf(settings: Settings): string {
  return settings.store.url
    ? `${settings.store.url}#${settings.store.schema ?? ""}`
    : storeIdentity(settings.dataDir);
}
