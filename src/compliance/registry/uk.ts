import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { calendarDayMs, calendarDayProblem } from "../../core/calendar-day.ts";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import type { NanpNumber } from "../../core/phone-number.ts";
import { writeFileSafely } from "../../core/safe-write.ts";
import type { RegistryFinding } from "./lookup.ts";

/**
 * The UK's do-not-call registers: the Telephone Preference Service (TPS, individuals) and the
 * Corporate TPS (CTPS). A file is `phone,registeredAt` a line (a header line `phone,…` is
 * skipped): the number as +44…, 44… or 0… and the day it was registered, yyyy-mm-dd. PECR
 * (reg 21, 21A; reg 26(3)) bars a live marketing call to a registered number, without the
 * subscriber's consent, from 28 days after its registration. A copy is two sorted typed arrays
 * (the number's national digits, its registration day): a check is a binary search, ~20 steps at a
 * million numbers, with nothing but the arrays in memory.
 *
 *   <dataDir>/uk-registry/<tps|ctps>.bin   numbers (Float64, sorted), then days (Uint32)
 *   <dataDir>/uk-registry/<tps|ctps>.json  { registry, asOf, importedAt, numbers }
 *
 * An import checks every line first (a bad one: InputError naming its line and column, the
 * previous copy untouched) and replaces the copy by write-to-temp + rename.
 */
export const UK_REGISTRIES = ["tps", "ctps"] as const;
/** A UK registry cxo keeps a copy of: `tps` (people) or `ctps` (corporate numbers). */
export type UkRegistryName = (typeof UK_REGISTRIES)[number];
export const isUkRegistry = (name: string | undefined): name is UkRegistryName =>
  name === "tps" || name === "ctps";

/** Days after its registration a number's listing binds (PECR reg 26(3)). */
export const UK_REGISTRATION_DAYS = 28;

interface UkManifest {
  registry: UkRegistryName;
  asOf: string;
  importedAt: string;
  numbers: number;
}

const ukDir = (dataDir: string) => path.join(dataDir, "uk-registry");
const DAY_MS = 86_400_000;
const MAX_PROBLEMS = 20;

/** A UK number's national digits (no 0, no 44) as a number, from +44…, 44… or 0…; undefined: not one. */
export function ukNationalNumber(text: string): number | undefined {
  const compact = text.trim().replace(/[\s-]/g, "");
  const match = /^(?:\+44|44|0)([1-9]\d{8,9})$/.exec(compact);
  return match ? Number(match[1]) : undefined;
}

export interface UkImportSummary {
  registry: UkRegistryName;
  numbers: number;
  lines: number;
  asOf: string;
}

/** Reads `file` (plain or gzip) into the `registry` copy of `dataDir`. */
export function importUkRegistry(options: {
  dataDir: string;
  registry: UkRegistryName;
  file: string;
  asOf: string;
  nowMs: number;
}): UkImportSummary {
  const raw = readFileSync(options.file);
  const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString("utf8");
  const rows = new Map<number, number>();
  const problems: InputProblem[] = [];
  // A file has a few thousand distinct dates: each is checked and counted once.
  const dayOf = new Map<string, number | null>();
  const dayOfText = (text: string) => {
    let day = dayOf.get(text);
    if (day === undefined) {
      const ms = calendarDayMs(text);
      day = ms === undefined ? null : ms / DAY_MS;
      dayOf.set(text, day);
    }
    return day;
  };
  let lines = 0;
  let start = 0;
  for (let n = 1; start <= text.length; n++) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, "");
    start = end === -1 ? text.length + 1 : end + 1;
    if (line.trim() === "" || (n === 1 && /^\s*phone\s*,/i.test(line))) continue;
    lines++;
    const [phone = "", registeredAt = "", ...more] = line.split(",").map((cell) => cell.trim());
    const number = ukNationalNumber(phone);
    if (number === undefined)
      problems.push({
        field: "phone",
        row: n,
        rule: `"${phone.slice(0, 30)}" is not a UK number (+44…, 0…)`,
      });
    const day = dayOfText(registeredAt);
    if (day === null)
      problems.push({
        field: "registeredAt",
        row: n,
        rule:
          registeredAt === ""
            ? "is missing: each row is phone,registeredAt (the day the number was registered, yyyy-mm-dd)"
            : `${calendarDayProblem(registeredAt)} (the day the number was registered)`,
      });
    else if (registeredAt > options.asOf)
      problems.push({ field: "registeredAt", row: n, rule: `is after the copy's date (${options.asOf})` });
    if (more.length > 0) problems.push({ field: "line", row: n, rule: "has more than two columns" });
    if (problems.length >= MAX_PROBLEMS) break;
    if (number !== undefined && day !== null) {
      // A number listed twice keeps its earliest registration (the stricter: it binds sooner).
      const known = rows.get(number);
      if (known === undefined || day < known) rows.set(number, day);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  const nums = new Float64Array(rows.keys()).sort();
  const days = new Uint32Array(nums.length);
  for (let i = 0; i < nums.length; i++) days[i] = rows.get(nums[i] as number) as number;
  const dir = ukDir(options.dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const bin = path.join(dir, `${options.registry}.bin`);
  const json = path.join(dir, `${options.registry}.json`);
  const manifest: UkManifest = {
    registry: options.registry,
    asOf: options.asOf,
    importedAt: new Date(options.nowMs).toISOString(),
    numbers: nums.length,
  };
  // The manifest names the count the data file is read with: data first, then the manifest,
  // each through the one safe writer (temp file and rename; a file of another kind is refused).
  const copy = { field: "registry", kind: { name: `${options.registry} copy`, recognise: () => true } };
  writeFileSafely(bin, Buffer.concat([Buffer.from(nums.buffer), Buffer.from(days.buffer)]), copy);
  writeFileSafely(json, JSON.stringify(manifest), copy);
  return { registry: options.registry, numbers: nums.length, lines, asOf: options.asOf };
}

/** National numbers (at most ten digits) grouped by all but their last four digits. */
const BUCKET = 10_000;
const BUCKETS = 1_000_000;

/**
 * One imported UK copy: the numbers sorted, with where each group of 10,000 consecutive numbers
 * starts, so a check searches a few numbers of its own group rather than the whole copy (at a
 * million numbers, about 3 steps instead of 20).
 */
export class UkRegistry {
  readonly manifest: UkManifest;
  private readonly nums: Float64Array;
  private readonly days: Uint32Array;
  private readonly starts: Uint32Array;

  constructor(manifest: UkManifest, data: Buffer) {
    this.manifest = manifest;
    const count = manifest.numbers;
    // A copy into aligned memory (a file's Buffer may sit at any offset of its pool).
    const copy = new ArrayBuffer(count * 12);
    new Uint8Array(copy).set(data.subarray(0, count * 12));
    this.nums = new Float64Array(copy, 0, count);
    this.days = new Uint32Array(copy, count * 8, count);
    this.starts = new Uint32Array(BUCKETS + 1);
    for (const national of this.nums) {
      const next = Math.min(BUCKETS - 1, Math.floor(national / BUCKET)) + 1;
      this.starts[next] = (this.starts[next] as number) + 1;
    }
    for (let b = 1; b <= BUCKETS; b++)
      this.starts[b] = (this.starts[b] as number) + (this.starts[b - 1] as number);
  }

  /** The day (days since 1970-01-01) the number was registered, or -1 when it is not listed. */
  registeredDay(national: number): number {
    const bucket = Math.min(BUCKETS - 1, Math.floor(national / BUCKET));
    if (!(bucket >= 0)) return -1;
    let lo = this.starts[bucket] as number;
    let hi = (this.starts[bucket + 1] as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.nums[mid] as number;
      if (value === national) return this.days[mid] as number;
      if (value < national) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** The UK copies imported into the data dir (none: an empty list). */
export function openUkRegistries(dataDir: string): UkRegistry[] {
  const dir = ukDir(dataDir);
  if (!existsSync(dir)) return [];
  const found: UkRegistry[] = [];
  for (const name of UK_REGISTRIES) {
    const json = path.join(dir, `${name}.json`);
    if (!existsSync(json)) continue;
    const manifest = JSON.parse(readFileSync(json, "utf8")) as UkManifest;
    found.push(new UkRegistry(manifest, readFileSync(path.join(dir, `${name}.bin`))));
  }
  return found;
}

/**
 * What each UK copy says of a UK number. The answers are few (a registration day per copy, or
 * none): each combination is made once and shared, frozen, as the US copies' are.
 */
const answers = new WeakMap<readonly UkRegistry[], Map<number, readonly RegistryFinding[]>>();

export function ukFindings(
  registries: readonly UkRegistry[],
  number: NanpNumber,
): readonly RegistryFinding[] {
  let national = 0;
  for (let i = 3; i < number.e164.length; i++) national = national * 10 + (number.e164.charCodeAt(i) - 48);
  // Each copy's day + 1 (0: not listed) in its own 16 bits: days to 2149 fit, two copies in 32 bits.
  let key = 0;
  for (const r of registries) key = key * 65_536 + r.registeredDay(national) + 1;
  let known = answers.get(registries);
  if (!known) {
    known = new Map();
    answers.set(registries, known);
  }
  let answer = known.get(key);
  if (!answer) {
    answer = Object.freeze(
      registries.map((r) => {
        const day = r.registeredDay(national);
        return Object.freeze({
          registry: r.manifest.registry,
          asOf: r.manifest.asOf,
          listed: day >= 0,
          ...(day < 0 ? {} : { registeredAt: new Date(day * DAY_MS).toISOString().slice(0, 10) }),
        });
      }),
    );
    known.set(key, answer);
  }
  return answer;
}
