import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import type { NanpNumber } from "../../core/phone-number.ts";
import { npaText } from "./bitset.ts";
import { bitsFile, currentVersionDir, type RegistryManifest, readManifest, registriesDir } from "./layout.ts";
import { openUkRegistries, type UkRegistry, ukFindings } from "./uk.ts";

/**
 * Reading the imported registry copies. An area code's bitset is read from disk the first time
 * a number of that area code is checked (1.25 MB, then a bit test per lookup); area codes never
 * asked about are never read. Past `maxResidentAreaCodes` the sets stay on disk and each
 * lookup reads its one byte (pread), so a list spread over every area code still fits in
 * bounded memory.
 */
export interface RegistryFinding {
  registry: string;
  /** The copy's date (yyyy-MM-dd). */
  asOf: string;
  listed: boolean;
  /** The UK's TPS and CTPS: the day the number was registered (its listing binds 28 days later). */
  registeredAt?: string;
}

export class DncRegistry {
  private readonly resident = new Map<number, Uint8Array | null>();
  private readonly fds = new Map<number, number | null>();
  private readonly byte = Buffer.alloc(1);

  readonly name: string;
  readonly versionDir: string;
  readonly manifest: RegistryManifest;
  private readonly maxResidentAreaCodes: number;

  constructor(name: string, versionDir: string, manifest: RegistryManifest, maxResidentAreaCodes: number) {
    this.name = name;
    this.versionDir = versionDir;
    this.manifest = manifest;
    this.maxResidentAreaCodes = maxResidentAreaCodes;
  }

  /** Is the number NPA-NXX-XXXX on this copy? `npa` 0-999, `rest` the 7 digits as a number. */
  has(npa: number, rest: number): boolean {
    let bits = this.resident.get(npa);
    if (bits === undefined) {
      if (this.resident.size >= this.maxResidentAreaCodes) return this.readOneBit(npa, rest);
      bits = this.load(npa);
    }
    return bits !== null && ((bits[rest >>> 3] as number) & (1 << (rest & 7))) !== 0;
  }

  /** Area codes whose sets were read into memory (for tests and the benchmark). */
  loadedAreaCodes(): string[] {
    return [...this.resident.entries()].filter(([, bits]) => bits !== null).map(([npa]) => npaText(npa));
  }

  close(): void {
    for (const fd of this.fds.values()) if (fd !== null) closeSync(fd);
    this.fds.clear();
    this.resident.clear();
  }

  private load(npa: number): Uint8Array | null {
    const name = npaText(npa);
    // A view of the bytes read, not a copy of them: a copy left the read buffer (1.25 MB an area
    // code) as garbage until a full GC, so a scrub over 71 area codes peaked ~45 MB higher.
    const file = this.manifest.areaCodes[name] ? readFileSync(bitsFile(this.versionDir, name)) : null;
    const bits = file ? new Uint8Array(file.buffer, file.byteOffset, file.byteLength) : null;
    this.resident.set(npa, bits);
    return bits;
  }

  private readOneBit(npa: number, rest: number): boolean {
    let fd = this.fds.get(npa);
    if (fd === undefined) {
      const name = npaText(npa);
      fd = this.manifest.areaCodes[name] ? openSync(bitsFile(this.versionDir, name), "r") : null;
      this.fds.set(npa, fd);
    }
    if (fd === null) return false;
    readSync(fd, this.byte, 0, 1, rest >>> 3);
    return ((this.byte[0] as number) & (1 << (rest & 7))) !== 0;
  }
}

export interface DncRegistries {
  readonly registries: readonly DncRegistry[];
  /** The UK's TPS and CTPS copies (registry/uk.ts): a UK number's findings. */
  readonly uk?: readonly UkRegistry[];
  /** One finding per imported registry: its date, and whether the number is on it. */
  findings(number: NanpNumber): readonly RegistryFinding[];
  close(): void;
}

export interface OpenOptions {
  /** Area codes per registry kept in memory (default 128 = 160 MB at most). */
  maxResidentAreaCodes?: number;
}

/** Every registry imported into the data dir (none: an empty set, nothing is refused for it). */
export function openDncRegistries(dataDir: string, options: OpenOptions = {}): DncRegistries {
  const root = registriesDir(dataDir);
  const registries: DncRegistry[] = [];
  if (existsSync(root))
    for (const name of readdirSync(root).sort()) {
      const versionDir = currentVersionDir(dataDir, name);
      if (!versionDir) continue;
      registries.push(
        new DncRegistry(name, versionDir, readManifest(versionDir), options.maxResidentAreaCodes ?? 128),
      );
    }
  return registriesOf(registries, openUkRegistries(dataDir));
}

export function registriesOf(
  registries: readonly DncRegistry[],
  uk: readonly UkRegistry[] = [],
): DncRegistries {
  // The findings for each combination of listings, made once and shared (frozen): a scrub asks
  // for a million numbers' findings, and there are only 2^registries different answers.
  const answers = new Map<number, readonly RegistryFinding[]>();
  const answerOf = (listings: number) => {
    let answer = answers.get(listings);
    if (!answer) {
      answer = Object.freeze(
        registries.map((r, i) =>
          Object.freeze({ registry: r.name, asOf: r.manifest.asOf, listed: (listings & (1 << i)) !== 0 }),
        ),
      );
      answers.set(listings, answer);
    }
    return answer;
  };
  const none: readonly RegistryFinding[] = Object.freeze([]);
  return {
    registries,
    uk,
    findings(number) {
      // A UK number is on the UK's lists or none; a NANP number on the US ones.
      if (number.country === "GB") return uk.length === 0 ? none : ukFindings(uk, number);
      if (registries.length === 0) return none;
      // +1 NPA NXX XXXX: the area code at 2-5, the 7 digits after it at 5-12.
      const npa = digitsAt(number.e164, 2, 5);
      const rest = digitsAt(number.e164, 5, 12);
      if (registries.length > 30)
        return registries.map((r) => ({ registry: r.name, asOf: r.manifest.asOf, listed: r.has(npa, rest) }));
      let listings = 0;
      for (let i = 0; i < registries.length; i++) if (registries[i]?.has(npa, rest)) listings |= 1 << i;
      return answerOf(listings);
    },
    close() {
      for (const r of registries) r.close();
    },
  };
}

/**
 * The decimal digits text[from, to) as an integer, from their character codes: a scrub asks for
 * a million numbers' findings, and a slice and a Number() each were a string made and parsed per
 * number.
 */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

export const NO_REGISTRIES: DncRegistries = registriesOf([]);

/** A summary of what is imported, for `cxo compliance dnc status`. */
export function describeRegistries(
  dataDir: string,
): Array<Omit<RegistryManifest, "sources"> & { version: string }> {
  const set = openDncRegistries(dataDir);
  return set.registries.map((r) => {
    const { sources: _sources, ...rest } = r.manifest;
    return { ...rest, version: path.basename(r.versionDir) };
  });
}
