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
