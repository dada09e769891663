/**
 * Two business units side by side (`cxo tenants diff`, issue 54 §3): what each one's campaigns
 * are set to — definition and calling rules, dialer settings, disposition matrix — compared
 * setting by setting. Pure: the snapshots are read elsewhere (sdk/tenants-diff.ts).
 *
 * Campaigns are paired by NAME: ids are the business unit's own (the same id names unrelated
 * campaigns in two units, and a copied campaign gets a new id), so a name is what an operator
 * means by "the same campaign". Disposition codes are paired by name for the same reason.
 */

/** What one campaign of one business unit is set to. */
export interface CampaignSnapshot {
  id: string;
  name: string;
  status: string;
  /** The campaign's definition (calling rules included), identifiers and timestamps left out. */
  definition: Record<string, unknown> | null;
  /** The dialer settings that apply to it (the tenant's on a platform with one dialer). */
  dialer: Record<string, unknown> | null;
  /** Disposition code name → its reason code names, sorted. */
  dispositions: Record<string, string[]> | null;
  /** Reads the platform refused (role, scope), each with its reason: those parts are not compared. */
  unavailable: string[];
}

export interface TenantSnapshot {
  tenant: string;
  campaigns: CampaignSnapshot[];
}

export type ComparedPart = "campaign" | "definition" | "dialer" | "dispositions";

/** One setting that differs: `a` and `b` are each side's value (undefined: not set there). */
export interface Difference {
  /** The campaign's name (both sides' ids are on the pair). */
  campaign: string;
  part: ComparedPart;
  /** Dotted path of the setting within the part (`compliance.window.end`, `Sale` for a code). */
  setting: string;
  a: unknown;
  b: unknown;
}

export interface CampaignPair {
  name: string;
  a: { id: string; status: string } | null;
  b: { id: string; status: string } | null;
  differences: number;
  /** Parts not compared because one side's read was refused. */
  unavailable: string[];
}

export interface TenantDiff {
  a: string;
  b: string;
  same: boolean;
  /** Objects compared (a campaign's definition, dialer settings and matrix count one each, per side). */
  objects: { a: number; b: number };
  campaigns: CampaignPair[];
  differences: Difference[];
}

/**
 * Keys that say which object this is or when it changed, not how it is set: they differ between
 * two business units by construction. Matched by shape, not by a list of the platforms' fields.
 */
const IDENTITY_OR_TIME =
  /^(id|uuid|etag|version(tag)?)$|Id$|ID$|Ids$|(At|Date|Time)stamp$|(created|updated|modified|lastModified)(At|Date|On|Time)?$|^last(Update|Modifie|Poll|Change|Run)d?(At|Date|On|Time)?$/i;

/** A definition with identity and time fields removed, at every depth. */
export function comparableSettings(value: Record<string, unknown>): Record<string, unknown> {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node as Record<string, unknown>))
      if (!IDENTITY_OR_TIME.test(key)) out[key] = strip(child);
    return out;
  };
  return strip(value) as Record<string, unknown>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_key, value: unknown) =>
    isPlainObject(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, value[k]]),
        )
      : value,
  ) ?? "undefined";

/** Leaf-by-leaf differences of two values (arrays compared whole: an order is a setting too). */
export function differingSettings(
  a: unknown,
  b: unknown,
  at = "",
): Array<{ setting: string; a: unknown; b: unknown }> {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => differingSettings(a[key], b[key], at ? `${at}.${key}` : key));
  }
  return canonical(a) === canonical(b) ? [] : [{ setting: at || "(whole)", a, b }];
}

/** Pairs each side's campaigns by name; a name used twice in one unit pairs in id order. */
function pairByName(a: CampaignSnapshot[], b: CampaignSnapshot[]) {
  const byName = (list: CampaignSnapshot[]) => {
    const map = new Map<string, CampaignSnapshot[]>();
    for (const c of [...list].sort((x, y) => x.id.localeCompare(y.id, "en", { numeric: true })))
      map.set(c.name, [...(map.get(c.name) ?? []), c]);
    return map;
  };
  const left = byName(a);
  const right = byName(b);
  const names = [...new Set([...left.keys(), ...right.keys()])].sort((x, y) => x.localeCompare(y, "en"));
  return names.flatMap((name) => {
    const l = left.get(name) ?? [];
    const r = right.get(name) ?? [];
    return Array.from({ length: Math.max(l.length, r.length) }, (_, i) => ({
      name,
      a: l[i] ?? null,
      b: r[i] ?? null,
    }));
  });
}

export function compareTenants(a: TenantSnapshot, b: TenantSnapshot): TenantDiff {
  const differences: Difference[] = [];
  const campaigns: CampaignPair[] = [];
  const count = (s: TenantSnapshot) =>
    s.campaigns.reduce(
      (n, c) =>
        n + Number(c.definition !== null) + Number(c.dialer !== null) + Number(c.dispositions !== null),
      0,
    );
  for (const pair of pairByName(a.campaigns, b.campaigns)) {
    const before = differences.length;
    const unavailable = [...(pair.a?.unavailable ?? []), ...(pair.b?.unavailable ?? [])];
    if (!pair.a || !pair.b) {
      differences.push({
        campaign: pair.name,
        part: "campaign",
        setting: "exists",
        a: pair.a ? `yes (${pair.a.id})` : undefined,
        b: pair.b ? `yes (${pair.b.id})` : undefined,
      });
    } else {
      const parts: Array<[ComparedPart, unknown, unknown]> = [
        ["definition", pair.a.definition, pair.b.definition],
        ["dialer", pair.a.dialer, pair.b.dialer],
        ["dispositions", pair.a.dispositions, pair.b.dispositions],
      ];
      for (const [part, left, right] of parts) {
        // A part one side could not read is reported as unavailable, never as a difference.
        if (left === null || right === null) continue;
        for (const d of differingSettings(left, right)) differences.push({ campaign: pair.name, part, ...d });
      }
    }
    campaigns.push({
      name: pair.name,
      a: pair.a && { id: pair.a.id, status: pair.a.status },
      b: pair.b && { id: pair.b.id, status: pair.b.status },
      differences: differences.length - before,
      unavailable,
    });
  }
  return {
    a: a.tenant,
    b: b.tenant,
    same: differences.length === 0,
    objects: { a: count(a), b: count(b) },
    campaigns,
    differences,
  };
}
