// A tenant block of the config file (`tenants.NAME`) as the modules that check it (tenants.ts),
// resolve its secrets (secret-refs.ts), place its store (tenant-stores.ts) and fold it into a
// run's settings (tenant-choice.ts) read it: the tree's shape, the parts of a block, and the
// hint every error about tenants ends with.

/** A settings tree (or part of one) before validation: the parsed YAML, nothing checked yet. */
export type Tree = Record<string, unknown>;

/** Where an error about tenants points the user. */
export const TENANTS_HINT = "tenants.NAME in the config file (docs/tenants.md)";

export function isMapping(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function serviceOf(block: Tree): Tree {
  return isMapping(block.service) ? block.service : {};
}

/** The platform a tenant block names (`platform:` or `cxone.platform`), default `seed`. */
export function platformOf(block: Tree): string {
  const cxone = (block.cxone ?? {}) as Tree;
  const value = block.platform ?? cxone.platform ?? "seed";
  return String(value);
}
