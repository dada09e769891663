import { realpathSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "./errors.ts";
import { isMapping, TENANTS_HINT, type Tree } from "./tenant-block.ts";
import type { ChosenTenant } from "./tenant-choice.ts";
import { tenantStoreOf as storeOfTenant } from "./tenant-identity.ts";

// Each business unit has its own store (journal, audit chain, outbox, DNC copies): a directory
// `dataDir/tenants/NAME` on SQLite, a schema `cxo_NAME` on PostgreSQL. Here: where a tenant's
// store is, whether two spellings of a directory are one store, and the refusal of a store
// shared by two business units (or by one and the installation).

/** Where a tenant's store lives (tenant-identity.ts): its own `dataDir`, else DATA_DIR/tenants/NAME. */
export function tenantStoreOf(
  name: string,
  dataDir: string,
  block: Tree,
): { dataDir: string; schema: string } {
  return storeOfTenant(name, {
    dataDir,
    ownDataDir: typeof block.dataDir === "string" ? block.dataDir : undefined,
  });
}

/**
 * Where a store really is: the real path of its directory, or of its nearest existing ancestor
 * with the rest appended (a store not made yet). Two spellings of one directory — a symbolic
 * link, `..`, a bind of the parent — are one store (issue 63 N8: compared as resolved strings,
 * a linked alias let two tenants share one through the CLI).
 */
export function storeIdentity(dir: string): string {
  let existing = path.resolve(dir);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(dir);
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * A tenant whose store (its identity, storeIdentity) is the installation's or another tenant's:
 * every store row is its tenant's by construction, or nothing is. The one check, for the config
 * loader and for `cxo serve` (startService's settings may come from the SDK).
 */
export function sharedStoreProblems(
  installation: string,
  tenants: ReadonlyArray<{ name: string; identity: string }>,
): Array<{ field: string; rule: string }> {
  const owners = new Map<string, string>([[installation, "the installation"]]);
  const problems: Array<{ field: string; rule: string }> = [];
  for (const { name, identity } of tenants) {
    const other = owners.get(identity);
    if (other)
      problems.push({
        field: `tenants.${name}.dataDir`,
        rule: `is the store of ${other}: each business unit needs its own (leave dataDir unset for DATA_DIR/tenants/${name})`,
      });
    else owners.set(identity, `tenant ${name}`);
  }
  return problems;
}

/**
 * Puts the chosen tenant's store in its namespace, once the environment and the flags are
 * layered: `CXO_DATA_DIR` / `--data-dir` name the base every tenant's store goes below, never
 * one store that several business units would share.
 */
export function placeTenantStore(tree: Tree, chosen: ChosenTenant | undefined, cwd: string): void {
  if (!chosen) return;
  const dataDir = typeof tree.dataDir === "string" ? tree.dataDir : "./.cxo";
  // On PostgreSQL each tenant's store is the schema of its name: distinct by construction.
  if (!(isMapping(tree.store) && typeof tree.store.url === "string")) {
    const problem = sharedStoreProblems(
      storeIdentity(path.resolve(cwd, dataDir)),
      [...chosen.blocks].map(([name, block]) => ({
        name,
        identity: storeIdentity(path.resolve(cwd, tenantStoreOf(name, dataDir, block).dataDir)),
      })),
    )[0];
    if (problem) throw new ConfigError(problem.field, problem.rule, TENANTS_HINT);
  }
  const store = tenantStoreOf(chosen.name, dataDir, chosen.block);
  tree.dataDir = store.dataDir;
  tree.store = { ...(isMapping(tree.store) ? tree.store : {}), schema: store.schema };
}
