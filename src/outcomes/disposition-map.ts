import { z } from "zod";
import { loadInputFile } from "../core/input-file.ts";

/**
 * Disposition code → business category. The default is seed 004's table; `--map FILE` replaces
 * it. A code the map does not list is NOT folded into a category (the seed counted it as
 * "neutral", hiding campaign-specific codes): it is counted and listed as unknown.
 *
 * An entry matches a record by code (exactly) or by the record's disposition name, where the
 * platform gives one (the production platform's codes are ids like "11", named "Sale"). Names
 * match loosely: case, spaces, "_" and "-" are ignored, so APPOINTMENT_SET matches
 * "Appointment Set". When an entry names a record's code and another its name, the code wins.
 * Two entries of different categories that match the same name loosely are refused at load.
 */
export interface DispositionMap {
  /** Category name → its codes. Every category appears in the summary, even at zero. */
  categories: Record<string, string[]>;
  /** The categories that count as a conversion. */
  conversionCategories: string[];
}

export const DEFAULT_DISPOSITION_MAP: DispositionMap = {
  categories: {
    // Seed 004's codes, and the usual CXone disposition names ("Sale", "Answering Machine").
    success: ["CONVERTED", "APPOINTMENT_SET", "Sale"],
    warm: ["INTERESTED", "CALLBACK_REQUESTED"],
    cold: ["NOT_INTERESTED", "Do Not Call"],
    neutral: ["BUSY", "NO_ANSWER", "Answering Machine", "Left Voicemail"],
    failure: ["DISCONNECTED", "WRONG_NUMBER"],
  },
  conversionCategories: ["success"],
};

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
// A code or a disposition name ("Appointment Set", "Don't call"): printable, no edge spaces.
const CODE = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,62}[^\s\p{Cc}])?$/u;

/** A name's loose form: case, spaces, "_" and "-" do not count. */
export const looseName = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, "");

export const dispositionMapSchema = z
  .strictObject({
    categories: z
      .record(
        z.string().regex(NAME, "category names are letters, digits, _ or -, starting with a letter"),
        z
          .array(
            z.string().regex(CODE, "must be a disposition code or name such as CONVERTED or Appointment Set"),
          )
          .min(1),
      )
      .refine((categories) => Object.keys(categories).length > 0, "must define at least one category"),
    conversionCategories: z.array(z.string()).min(1, "must name at least one category"),
  })
  .superRefine((map, ctx) => {
    const owner = new Map<string, string>();
    const looseOwner = new Map<string, { category: string; code: string }>();
    for (const [category, codes] of Object.entries(map.categories))
      codes.forEach((code, index) => {
        const first = owner.get(code);
        const loose = looseOwner.get(looseName(code));
        if (first !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["categories", category, index],
            message: `${code} is already in category "${first}": a code belongs to one category`,
          });
        else if (loose !== undefined && loose.category !== category)
          ctx.addIssue({
            code: "custom",
            path: ["categories", category, index],
            message: `${code} and ${loose.code} (category "${loose.category}") match the same disposition name: a name belongs to one category`,
          });
        else {
          owner.set(code, category);
          looseOwner.set(looseName(code), { category, code });
        }
      });
    map.conversionCategories.forEach((category, index) => {
      if (!(category in map.categories))
        ctx.addIssue({
          code: "custom",
          path: ["conversionCategories", index],
          message: `"${category}" is not one of the categories`,
        });
    });
  });

/** Reads and validates a YAML/JSON map file (InputError naming `map` or the field's path otherwise). */
export function loadDispositionMap(file: string): DispositionMap {
  return loadInputFile(file, dispositionMapSchema, "map");
}

/** Names remembered per categorizer (a tenant has dozens; the bound guards against odd data). */
const NAME_MEMO_LIMIT = 10_000;

/** The fast lookup used per record. */
export class Categorizer {
  readonly map: DispositionMap;
  private readonly byCode = new Map<string, string>();
  private readonly byLooseName = new Map<string, string>();
  /** Record name → category (null: none), so a name is normalised once, not per record. */
  private readonly byName = new Map<string, string | null>();
  private readonly conversion: Set<string>;

  constructor(map: DispositionMap) {
    this.map = map;
    for (const [category, codes] of Object.entries(map.categories))
      for (const code of codes) {
        this.byCode.set(code, category);
        this.byLooseName.set(looseName(code), category);
      }
    this.conversion = new Set(map.conversionCategories);
  }

  /**
   * The category of a record's disposition: by its code, else by its name (loosely); undefined
   * when the map knows neither.
   */
  categoryOf(code: string | null, name: string | null = null): string | undefined {
    const byCode = code === null ? undefined : this.byCode.get(code);
    if (byCode !== undefined || name === null) return byCode;
    let category = this.byName.get(name);
    if (category === undefined) {
      category = this.byLooseName.get(looseName(name)) ?? null;
      if (this.byName.size >= NAME_MEMO_LIMIT) this.byName.clear();
      this.byName.set(name, category);
    }
    return category ?? undefined;
  }

  isConversion(category: string | undefined): boolean {
    return category !== undefined && this.conversion.has(category);
  }
}
