import {
  copyFileSync,
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
} from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { clockNowDate, clockNowMs } from "../../core/clock/now.ts";
import { InputError } from "../../core/input-error.ts";
import { emptyAreaCode, npaText, popcount } from "./bitset.ts";
import {
  bitsFile,
  currentVersionDir,
  fsyncDir,
  publishVersion,
  type RegistryManifest,
  type RegistryName,
  readManifest,
  registryDir,
  writeDurably,
} from "./layout.ts";
import { LINE_RULE, RegistryLineParser } from "./line-parser.ts";
/**
 * `cxo compliance dnc import`: reads registry download files (plain or gzip, streamed; `-` is
 * stdin) into a new version of the registry's bitsets, then publishes it atomically.
 * `full` starts from an empty registry (the files are the whole copy); `changes` starts from
 * the current version (the files' additions and deletions are applied to it). Files are read
 * in the order given, so `full.txt changes-1.txt changes-2.txt` in full mode also works.
 */
export interface ImportRequest {
  dataDir: string;
  registry: RegistryName;
  files: readonly string[];
  mode: "full" | "changes";
  /** The registry's date, yyyy-MM-dd (see defaultAsOf). */
  asOf: string;
  stdin?: NodeJS.ReadableStream;
  /** Area codes kept in memory before they are written out (bounds the import's memory). */
  maxResidentAreaCodes?: number;
  /** Stops the import between chunks: nothing is published, the previous copy stays. */
  signal?: AbortSignal;
}

export interface ImportSummary {
  registry: RegistryName;
  asOf: string;
  mode: "full" | "changes";
  lines: number;
  numbers: number;
  areaCodes: number;
  previousNumbers: number | null;
  durationMs: number;
  linesPerSec: number;
  version: string;
}

const GZIP = [0x1f, 0x8b];

async function* chunksOf(file: string, stdin: NodeJS.ReadableStream | undefined): AsyncGenerator<Uint8Array> {
  const raw: AsyncIterable<Uint8Array> =
    file === "-"
      ? ((stdin ?? process.stdin) as AsyncIterable<Uint8Array>)
      : createReadStream(file, { highWaterMark: 1 << 20 });
  const iterator = raw[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const rest = { [Symbol.asyncIterator]: () => iterator };
  if (head[0] === GZIP[0] && head[1] === GZIP[1]) {
    const source = Readable.from(
      (async function* () {
        yield head;
        yield* rest;
      })(),
    );
    yield* source.pipe(createGunzip({ chunkSize: 1 << 20 })) as AsyncIterable<Uint8Array>;
    return;
  }
  yield head;
  yield* rest;
}

export async function importRegistry(request: ImportRequest): Promise<ImportSummary> {
  const started = performance.now();
  const dir = registryDir(request.dataDir, request.registry);
  mkdirSync(dir, { recursive: true });
  const previousDir = currentVersionDir(request.dataDir, request.registry);
  const previous = previousDir ? readManifest(previousDir) : undefined;
  const versionName = `v-${clockNowMs()}-${process.pid}`;
  const versionDir = path.join(dir, versionName);
  mkdirSync(versionDir);
  try {
    const sets = new AreaCodeSets(
      versionDir,
      request.mode === "changes" ? previousDir : undefined,
      request.maxResidentAreaCodes ?? 64,
    );
    const sources: RegistryManifest["sources"] = [];
    let lines = 0;
    for (const file of request.files) {
      const parser = new RegistryLineParser((npa, rest, deletion) => sets.apply(npa, rest, deletion));
      for await (const chunk of chunksOf(file, request.stdin)) {
        request.signal?.throwIfAborted();
        parser.feed(chunk);
        if (parser.failed) break;
      }
      parser.end();
      if (parser.problems.length > 0)
        throw new InputError(
          parser.problems.map((p) => ({
            field: file === "-" ? "stdin" : file,
            row: p.line,
            rule: `"${p.text}" ${LINE_RULE}`,
          })),
        );
      sources.push({
        file: file === "-" ? "stdin" : path.resolve(file),
        lines: parser.count,
        mode: request.mode,
      });
      lines += parser.count;
    }
    request.signal?.throwIfAborted();
    const areaCodes = sets.finish(request.mode === "changes" ? previous : undefined);
    const numbers = Object.values(areaCodes).reduce((a, b) => a + b, 0);
    const manifest: RegistryManifest = {
      registry: request.registry,
      asOf: request.asOf,
      importedAt: clockNowDate().toISOString(),
      numbers,
      areaCodes,
      sources,
    };
    writeDurably(path.join(versionDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncDir(versionDir);
    publishVersion(request.dataDir, request.registry, versionName);
    removeOldVersions(dir, versionName, previousDir ? path.basename(previousDir) : undefined);
    const durationMs = performance.now() - started;
    return {
      registry: request.registry,
      asOf: request.asOf,
      mode: request.mode,
      lines,
      numbers,
      areaCodes: Object.keys(areaCodes).length,
      previousNumbers: previous?.numbers ?? null,
      durationMs: Math.round(durationMs),
      linesPerSec: Math.round((lines * 1000) / Math.max(durationMs, 1)),
      version: versionName,
    };
  } catch (error) {
    rmSync(versionDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The area codes being built. At most `maxResident` are in memory; past that they are written
 * to the new version directory and read back if touched again.
 */
class AreaCodeSets {
  private readonly resident = new Map<number, Uint8Array>();
  /** Area codes this import has decided (written to the new version, or left empty). */
  private readonly decided = new Map<number, number>();
  private lastNpa = -1;
  private lastBits: Uint8Array = new Uint8Array(0);

  private readonly versionDir: string;
  private readonly baseDir: string | undefined;
  private readonly maxResident: number;

  constructor(versionDir: string, baseDir: string | undefined, maxResident: number) {
    this.versionDir = versionDir;
    this.baseDir = baseDir;
    this.maxResident = maxResident;
  }

  apply(npa: number, rest: number, deletion: boolean): void {
    let bits = this.lastBits;
    if (npa !== this.lastNpa) {
      bits = this.resident.get(npa) ?? this.load(npa);
      this.lastNpa = npa;
      this.lastBits = bits;
    }
    if (deletion) bits[rest >>> 3] = (bits[rest >>> 3] as number) & ~(1 << (rest & 7));
    else bits[rest >>> 3] = (bits[rest >>> 3] as number) | (1 << (rest & 7));
  }

  private load(npa: number): Uint8Array {
    if (this.resident.size >= this.maxResident) this.flush();
    const name = npaText(npa);
    const from = this.decided.has(npa) ? this.versionDir : this.baseDir;
    const file = from ? bitsFile(from, name) : undefined;
    const bits = file && existsSync(file) ? new Uint8Array(readFileSync(file)) : emptyAreaCode();
    this.resident.set(npa, bits);
    return bits;
  }

  private flush(): void {
    for (const [npa, bits] of this.resident) {
      const count = popcount(bits);
      const file = bitsFile(this.versionDir, npaText(npa));
      if (count > 0) writeDurably(file, bits);
      else if (existsSync(file)) unlinkSync(file);
      this.decided.set(npa, count);
    }
    this.resident.clear();
    this.lastNpa = -1;
  }

  /** Writes what is left; in changes mode links the untouched area codes of the base version. */
  finish(base: RegistryManifest | undefined): Record<string, number> {
    this.flush();
    const areaCodes: Record<string, number> = {};
    if (base && this.baseDir)
      for (const [name, count] of Object.entries(base.areaCodes)) {
        if (this.decided.has(Number(name))) continue;
        const target = bitsFile(this.versionDir, name);
        try {
          linkSync(bitsFile(this.baseDir, name), target);
        } catch {
          copyFileSync(bitsFile(this.baseDir, name), target);
        }
        areaCodes[name] = count;
      }
    for (const [npa, count] of this.decided) if (count > 0) areaCodes[npaText(npa)] = count;
    return Object.fromEntries(Object.entries(areaCodes).sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Everything but the new version and the one before it (a reader may still be on it). */
function removeOldVersions(dir: string, keep: string, previous: string | undefined): void {
  for (const entry of readdirSync(dir)) {
    if (entry === keep || entry === previous || entry === "CURRENT") continue;
    if (entry.startsWith("v-") || entry.startsWith("CURRENT."))
      rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

/**
 * The registry's date when --as-of is not given: the OLDEST modification date of the files.
 * Never fresher than the oldest input (a copy that looks fresher than it is would let calls
 * through; one that looks older only refuses them sooner). Stdin has no date: --as-of needed.
 */
export function defaultAsOf(files: readonly string[]): string | undefined {
  if (files.includes("-")) return undefined;
  const oldest = Math.min(...files.map((file) => statSync(file).mtimeMs));
  return new Date(oldest).toISOString().slice(0, 10);
}
