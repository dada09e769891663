import { createRng } from "../../random.ts";
import type { Skill } from "./model.ts";
import { phone } from "./vocabulary.ts";

/**
 * The tenant's DNC groups (reference §4.4, `/dnc-groups`): named sets of numbers, each active or
 * not, fed by some skills (contributing) and scrubbing others (a number in an active group is not
 * dialled on a skill the group scrubs). Numbers are kept as their ten digits, as CXone's lists
 * carry NANP numbers.
 */
export interface DncGroupRecordState {
  /** ISO 8601, or null: the record never expires. */
  expiredDate: string | null;
  dateCollected: string;
  lastUpdateTime: string;
  /** How many `POST …/records` requests carried this number (admin API: a client that sends a number twice shows here). */
  sent?: number;
}

export interface DncGroupState {
  dncGroupId: number;
  dncGroupName: string;
  dncGroupDescription: string;
  isActive: boolean;
  isRemoved: boolean;
  createDate: string;
  lastUpdateTime: string;
  /** Ten digits → the record; insertion order is the listing's order. */
  records: Map<string, DncGroupRecordState>;
  contributingSkills: Set<number>;
  scrubbedSkills: Set<number>;
}

/** A fixed instant, so a seed's groups do not depend on the day they are built. */
const COLLECTED = "2025-01-02T10:00:00.000Z";

/**
 * Three groups per seed (their own random stream, so the world's other ids do not move):
 * "Internal" (active) holds the world's DNC numbers (those its seeded lists carry) and scrubs PC
 * Sales and PC Renewals; "Collections Cease" (active) scrubs PC Collections only; "Retired
 * Campaign" is inactive and scrubs every Personal Connection skill (it must refuse nothing).
 */
export function seedDncGroups(seed: number, skills: readonly Skill[], dncPhones: readonly string[]) {
  const rng = createRng(seed, "cxone-dnc-groups");
  const base = rng.int(2, 9) * 10;
  const pc = skills.filter((s) => s.outboundStrategy === "Personal Connection").map((s) => s.skillId);
  const [sales, renewals, collections] = pc;
  const numbers = (count: number) => Array.from({ length: count }, () => phone(rng));
  const specs = [
    { name: "Internal", active: true, phones: [...dncPhones], scrubbed: [sales, renewals], feeding: [sales] },
    { name: "Collections Cease", active: true, phones: numbers(5), scrubbed: [collections], feeding: [] },
    { name: "Retired Campaign", active: false, phones: numbers(5), scrubbed: pc, feeding: [] },
  ];
  return new Map(
    specs.map((spec, i): [number, DncGroupState] => {
      const id = base + i + 1;
      return [
        id,
        {
          dncGroupId: id,
          dncGroupName: spec.name,
          dncGroupDescription: `${spec.name} (seeded)`,
          isActive: spec.active,
          isRemoved: false,
          createDate: COLLECTED,
          lastUpdateTime: COLLECTED,
          records: new Map(
            spec.phones.map((p) => [
              p,
              { expiredDate: null, dateCollected: COLLECTED, lastUpdateTime: COLLECTED },
            ]),
          ),
          contributingSkills: new Set(spec.feeding.filter((s) => s !== undefined)),
          scrubbedSkills: new Set(spec.scrubbed.filter((s) => s !== undefined)),
        },
      ];
    }),
  );
}

/**
 * The active groups that hold `key` (groupKeyOf) unexpired at `atMs` and scrub one of `skillIds`: what
 * keeps a Personal Connection skill from dialling the number (the list dialer asks this at dial
 * time).
 */
export function groupsScrubbing(
  groups: ReadonlyMap<number, DncGroupState>,
  skillIds: readonly number[],
  key: string,
  atMs: number,
): DncGroupState[] {
  return [...groups.values()].filter((g) => {
    if (!g.isActive || g.isRemoved) return false;
    const record = g.records.get(key);
    if (!record || (record.expiredDate !== null && Date.parse(record.expiredDate) <= atMs)) return false;
    return skillIds.some((skillId) => g.scrubbedSkills.has(skillId));
  });
}

/** A UK number as 44 and its national digits without the 0 (11 or 12 digits). */
const UK_DIGITS = /^44[1-9]\d{8,9}$/;

/**
 * A number as a DNC group keys it: a NANP number's last ten digits ("+1 (612) 555-0123" →
 * "6125550123"); a UK number's 44 and its digits ("+44 7700 900123", "447700900123" →
 * "447700900123"; assumed, docs/emulator-cxone.md).
 */
export function groupKeyOf(value: string): string {
  const digits = value.replace(/\D/g, "");
  return UK_DIGITS.test(digits) ? digits : digits.slice(-10);
}

/** A key in E.164: "+1" and a NANP key's ten digits, "+" and a UK key's. */
export const e164OfKey = (key: string): string => (key.length === 10 ? `+1${key}` : `+${key}`);

/** A key's display form (`formattedPhone`): "(612) 555-0123", or "+44 7700900123" for a UK one. */
export const formattedKey = (key: string): string =>
  key.length === 10 ? `(${key.slice(0, 3)}) ${key.slice(3, 6)}-${key.slice(6)}` : `+44 ${key.slice(2)}`;
