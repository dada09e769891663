import { tenantsOfSeller } from "../consent/every-tenant.ts";
import { summarizeTenants } from "../core/config/tenants.ts";
import { settingsInputWithoutTenant } from "../core/config/tree.ts";
import type { CliContext } from "./context.ts";

/**
 * The other configured tenants that share this run's tenant's seller (`consent.seller`, default
 * the tenant's own name): those a revocation of scope `all` reaches besides it (issue 78 §1).
 * Empty when no tenant is named (one business unit configured).
 */
export async function sellerPeerNames(ctx: CliContext): Promise<string[]> {
  const own = await ctx.settings();
  if (own.tenant === undefined) return [];
  const ownName = own.tenant;
  const { tree, configFile } = settingsInputWithoutTenant({ flags: ctx.options });
  const configured = await Promise.all(
    summarizeTenants(tree, configFile).map(async ({ name }) => ({
      name,
      seller: name === ownName ? own.consent.seller : (await ctx.forTenant(name).settings()).consent.seller,
    })),
  );
  return tenantsOfSeller(ownName, configured).slice(1);
}
