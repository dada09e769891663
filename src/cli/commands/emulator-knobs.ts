import { InputError } from "../../core/input-error.ts";
import { type KnobsInput, knobsSchema } from "../../emulator/cxone/knobs.ts";

/**
 * `--knob name=value` (repeatable) → knobs. The value is read as JSON when it parses
 * (`true`, `404`, `["a","b"]`), else as a string (`closedContact=accept`).
 */
export function knobsFromFlags(flags: readonly string[]): KnobsInput {
  const out: Record<string, unknown> = {};
  const names = Object.keys(knobsSchema.shape);
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const name = eq === -1 ? flag : flag.slice(0, eq);
    if (eq === -1 || !names.includes(name)) {
      throw new InputError({
        field: "--knob",
        rule: `name=value with a name among ${names.join(", ")} (got "${flag}")`,
      });
    }
    const raw = flag.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare string
    }
    const field = knobsSchema.shape[name as keyof typeof knobsSchema.shape];
    const checked = field.safeParse(value);
    if (!checked.success) {
      throw new InputError({
        field: `--knob ${name}`,
        rule: checked.error.issues[0]?.message ?? "invalid value",
      });
    }
    out[name] = checked.data;
  }
  return out as KnobsInput;
}
