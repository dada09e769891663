import { z } from "zod";
import { loadInputFile } from "../core/input-file.ts";

/**
 * Disposition code → business category. The default is seed 004's table; `--map FILE` replaces
 * it. A code the map does not list is NOT folded into a category (the seed counted it as
 * "neutral", hiding campaign-specific codes): it is counted and listed as unknown.
 */
export interface DispositionMap {
  /** Category name → its codes. Every category appears in the summary, even at zero. */
  categories: Record<string, string[]>;
  /** The categories that count as a conversion. */
  conversionCategories: string[];
}

export const DEFAULT_DISPOSITION_MAP: DispositionMap = {
  categories: {
    success: ["CONVERTED", "APPOINTMENT_SET"],
    warm: ["INTERESTED", "CALLBACK_REQUESTED"],
    cold: ["NOT_INTERESTED"],
    neutral: ["BUSY", "NO_ANSWER"],
    failure: ["DISCONNECTED", "WRONG_NUMBER"],
  },
  conversionCategories: ["success"],
};

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const dispositionMapSchema = z
  .strictObject({
    categories: z
      .record(
        z.string().regex(NAME, "category names are letters, digits, _ or -, starting with a letter"),
        z.array(z.string().regex(CODE, "must be a disposition code such as CONVERTED")).min(1),
      )
      .refine((categories) => Object.keys(categories).length > 0, "must define at least one category"),
    conversionCategories: z.array(z.string()).min(1, "must name at least one category"),
  })
  .superRefine((map, ctx) => {
    const owner = new Map<string, string>();
    for (const [category, codes] of Object.entries(map.categories))
      codes.forEach((code, index) => {
        const first = owner.get(code);
        if (first !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["categories", category, index],
            message: `${code} is already in category "${first}": a code belongs to one category`,
          });
        else owner.set(code, category);
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

/** Reads and validates a YAML/JSON map file (InputError naming `--map.<path>` otherwise). */
export function loadDispositionMap(file: string): DispositionMap {
  return loadInputFile(file, dispositionMapSchema, "--map");
}

/** The fast lookup used per record. */
export class Categorizer {
  readonly map: DispositionMap;
  private readonly byCode = new Map<string, string>();
  private readonly conversion: Set<string>;

  constructor(map: DispositionMap) {
    this.map = map;
    for (const [category, codes] of Object.entries(map.categories))
      for (const code of codes) this.byCode.set(code, category);
    this.conversion = new Set(map.conversionCategories);
  }

  /** The category of a code, or undefined when the map does not know it. */
  categoryOf(code: string | null): string | undefined {
    return code === null ? undefined : this.byCode.get(code);
  }

  isConversion(category: string | undefined): boolean {
    return category !== undefined && this.conversion.has(category);
  }
}
