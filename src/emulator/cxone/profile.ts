import { parseYaml, readCappedText } from "../../core/input-file.ts";
import { type KnobsInput, knobsSchema } from "./knobs.ts";

/**
 * A tenant profile (`cxo doctor --profile FILE`, docs/platforms.md) as the production emulator's
 * knobs: its `facts` are named after the knobs they stand for, so a team's CI can run against its
 * own tenant's behaviour offline (`cxo emulator start --platform cxone --profile FILE`). The
 * emulator reads the file with its own schema (the knobs'), not the adapter's, so a profile the
 * adapter misreads is not silently read the same way here. The rest of the file (who was probed,
 * the adapter's settings) is the adapter's business and is not read.
 */
export class ProfileError extends Error {
  readonly field: string;
  readonly rule: string;
  constructor(field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.field = field;
    this.rule = rule;
  }
}

export function knobsOfProfile(file: string): KnobsInput {
  let text: string;
  try {
    text = readCappedText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProfileError("--profile", code ? `cannot read ${file} (${code})` : (error as Error).message);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ProfileError("--profile", `${file} is not valid YAML: ${(error as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new ProfileError("--profile", `${file} must hold a mapping`);
  const { profile, facts } = doc as { profile?: unknown; facts?: unknown };
  if (profile !== 1)
    throw new ProfileError("--profile", `${file}: "profile" must be 1 (got ${JSON.stringify(profile)})`);
  const checked = knobsSchema
    .partial()
    .strict()
    .safeParse(facts ?? {});
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const key =
      issue.code === "unrecognized_keys" ? (issue as { keys: string[] }).keys[0] : issue.path.join(".");
    throw new ProfileError(
      `--profile facts.${key}`,
      issue.code === "unrecognized_keys" ? "is not a fact this emulator knows" : issue.message,
    );
  }
  return checked.data as KnobsInput;
}
