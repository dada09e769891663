import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * Where a Do Not Call registry copy lives in the data dir, and how a new copy replaces the old
 * one atomically:
 *
 *   <dataDir>/dnc-registry/<name>/CURRENT            the live version's directory name
 *   <dataDir>/dnc-registry/<name>/v-<stamp>/NPA.bits one bitset per area code: 10^7 bits
 *                                                     (1.25 MB), bit n = NPA followed by n
 *   <dataDir>/dnc-registry/<name>/v-<stamp>/manifest.json
 *
 * An import writes a whole new version directory (fsynced), then replaces CURRENT by
 * write-to-temp + rename, the only step readers see. A crash (kill -9) before the rename leaves
 * CURRENT on the previous version; the half-written directory is removed by the next import.
 */

/** `national` or a US state's two letters (its own list, same file format). */
export type RegistryName = string;

export const AREA_CODE_BITS = 10_000_000;
export const AREA_CODE_BYTES = AREA_CODE_BITS / 8;

export interface RegistryManifest {
  registry: RegistryName;
  /** The registry's date (yyyy-MM-dd): how current the copy is; staleness counts from here. */
  asOf: string;
  importedAt: string;
  /** Total numbers listed, and per area code (only area codes with at least one). */
  numbers: number;
  areaCodes: Record<string, number>;
  /** What was read, in order. */
  sources: Array<{ file: string; lines: number; mode: "full" | "changes" }>;
}

export const registriesDir = (dataDir: string) => path.join(dataDir, "dnc-registry");
export const registryDir = (dataDir: string, name: RegistryName) => path.join(registriesDir(dataDir), name);
export const bitsFile = (versionDir: string, npa: string) => path.join(versionDir, `${npa}.bits`);

/** The live version's directory, or undefined when nothing was ever imported. */
export function currentVersionDir(dataDir: string, name: RegistryName): string | undefined {
  const dir = registryDir(dataDir, name);
  let current: string;
  try {
    current = readFileSync(path.join(dir, "CURRENT"), "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return current === "" ? undefined : path.join(dir, current);
}

export function readManifest(versionDir: string): RegistryManifest {
  return JSON.parse(readFileSync(path.join(versionDir, "manifest.json"), "utf8")) as RegistryManifest;
}

/** Writes a file and fsyncs it, so a rename that follows never publishes a partial file. */
export function writeDurably(file: string, data: Uint8Array | string): void {
  const fd = openSync(file, "w");
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The switch: CURRENT names `versionName` (temp file + rename + directory fsync). */
export function publishVersion(dataDir: string, name: RegistryName, versionName: string): void {
  const dir = registryDir(dataDir, name);
  const temp = path.join(dir, `CURRENT.${process.pid}.tmp`);
  writeDurably(temp, `${versionName}\n`);
  renameSync(temp, path.join(dir, "CURRENT"));
  fsyncDir(dir);
}
