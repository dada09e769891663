import type { Command } from "commander";
import type { CxoneDncFreshness } from "../../compliance/cxone-dnc-freshness.ts";
import { withContext } from "../context.ts";

/**
 * `cxo compliance dnc sync`: the tenant's CXone DNC groups copied into the store
 * (every group, the skills it scrubs, its records; the old copy replaced in one transaction,
 * audited). The production platform only: on the seed API it is refused (exit 1) before
 * anything is sent, and checks use the consent ledger and the internal list.
 */
export function registerDncSyncCommand(dnc: Command): void {
  dnc
    .command("sync")
    .description(
      "copy the tenant's CXone DNC groups (their scrubbed skills and records) into the local store, replacing the previous copy (production platform)",
    )
    .action(
      withContext(async (ctx) => {
        if ((await ctx.settings()).cxone.platform !== "cxone") {
          // Imported here: `compliance check` loads this file and must not load the platform layer.
          const [{ NotSupportedError }, { SEED_DNC_GROUPS_UNSUPPORTED }] = await Promise.all([
            import("../../platform/errors.ts"),
            import("../../platform/support.ts"),
          ]);
          throw new NotSupportedError(SEED_DNC_GROUPS_UNSUPPORTED);
        }
        const result = await ctx.withClient((client) => client.compliance.syncDnc());
        ctx.print(
          result,
          `synced ${result.groups} CXone DNC group(s) (${result.activeGroups} active) with ${result.records} record(s) at ${result.syncedAt} in ${result.durationMs} ms`,
        );
      }),
    );
}

/** One line saying what a check or scrub knew of the CXone DNC groups. */
export function cxoneDncLine(f: CxoneDncFreshness | null | undefined): string {
  if (!f) return "CXone DNC groups: none on this platform (the consent ledger and the internal list apply)";
  const age = f.syncedAt === null ? "never synced" : `synced ${f.syncedAt}, ${f.ageMinutes} min old`;
  if (f.source === "live")
    return `CXone DNC groups: searched live (the local copy is ${age}; trusted up to ${f.maxAgeMinutes} min: cxo compliance dnc sync)`;
  if (f.source === "synced") return `CXone DNC groups: copy synced just now (${f.syncedAt})`;
  return `CXone DNC groups: local copy ${age} (trusted up to ${f.maxAgeMinutes} min)`;
}
