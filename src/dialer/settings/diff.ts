import type { DialerSettings } from "../../platform/ports/dialer.ts";

/**
 * Field-by-field comparison of two settings (pure). Used to show what changed underneath us
 * (412), what a rollback would undo, and to verify that a restore really restored.
 */
export interface FieldChange {
  /** Dotted domain field name, e.g. `algorithm.dialRatio`. */
  field: string;
  from: unknown;
  to: unknown;
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  if (value !== undefined) out.set(prefix, value);
}

export function diffSettings(from: DialerSettings, to: DialerSettings): FieldChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(from, "", a);
  flatten(to, "", b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const x = a.get(field);
    const y = b.get(field);
    if (!Object.is(x, y)) changes.push({ field, from: x ?? null, to: y ?? null });
  }
  return changes;
}

/**
 * True when `actual` carries every value `intended` sets. Fields the intent leaves out (e.g. no
 * name: CXone keeps its own) may have any value.
 */
export function settingsMatch(intended: DialerSettings, actual: DialerSettings): boolean {
  return diffSettings(intended, actual).every((change) => change.from === null);
}

export function describeChanges(changes: readonly FieldChange[]): string {
  if (changes.length === 0) return "  (no differences)";
  return changes.map((c) => `  ${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join("\n");
}

/**
 * `settings` without the dotted fields a platform cannot store (DialerPort.unsupportedFields),
 * and the ones that were set: they are neither sent nor checked when read back.
 */
export function withoutFields(
  settings: DialerSettings,
  fields: readonly string[],
): { settings: DialerSettings; dropped: string[] } {
  const copy = structuredClone(settings) as unknown as Record<string, Record<string, unknown> | unknown>;
  const dropped: string[] = [];
  for (const field of fields) {
    const path = field.split(".");
    let node = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== "object") {
        node = {};
        break;
      }
      node = next as Record<string, unknown>;
    }
    const last = path[path.length - 1] as string;
    if (node[last] !== undefined) dropped.push(field);
    delete node[last];
  }
  return { settings: copy as unknown as DialerSettings, dropped };
}
