import { close, closeSync, fdatasync as fdatasyncCallback, openSync, writeSync } from "node:fs";
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type RowGroup } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import { InputError } from "../../core/input-error.ts";
import {
  checkRealDirectory,
  DEFAULT_FILE_MODE,
  ensureRealDirectory,
  OWN_FILE_TRUNCATE,
} from "../../core/safe-write.ts";
import type { CanonicalRecord } from "../record-format.ts";
import type { ChunkContext, Compress } from "./columns.ts";
import { PARQUET_SCHEMA, RowGroupColumns, recordFromRow } from "./schema.ts";

/**
 * A hive-partitioned outcomes dataset: `OUT/campaign=ID/date=YYYY-MM-DD/part-NNNNN.parquet`. Each
 * campaign's records are a dataset of their own under its `campaign=` directory, so two campaigns
 * exported into one `OUT` never replace each other's parts, and DuckDB's hive-partitioned read of
 * the three-level glob gives columns `campaign` and `date` (docs/outcomes.md). Parts are
 * numbered in the order their records were received (one sequence per export), each holding a
 * contiguous run of the record stream of one day; reading the parts in number order gives the
 * records back in the order exported (what the compliance hash is computed over).
 *
 * A part is written to a temporary name beside its final one, row group by row group (each
 * flushed to disk as soon as it is encoded: memory holds one row group, never a whole part),
 * then fdatasync'ed, renamed and its directory fsync'ed: a part is in the dataset whole or not
 * at all.
 */

/** Rows per row group: big enough for scanning (dictionary pages, zstd), small enough to stay constant-memory. */
export const ROW_GROUP_ROWS = 32_768;
/** Rows per part (a part also ends where the day changes). */
export const PART_ROWS = 262_144;

const hasZstd = typeof zlib.zstdCompressSync === "function";
/** zstd (Node's own, level 1) where this Node has it, else snappy. See docs/outcomes.md for the measurements. */
export const CODEC: "ZSTD" | "SNAPPY" = hasZstd ? "ZSTD" : "SNAPPY";
/**
 * Level 1, and output chunks of 1 KB instead of zlib's 16 KB: every zstdCompressSync makes a
 * zlib engine whose first output chunk it keeps, and engines die only at a full GC (their native
 * handles are weak references), so with 16 KB chunks a few hundred calls held tens of MB of
 * ArrayBuffers between two full GCs (measured: 4,000 calls, 53 MB; with 1 KB chunks, 4 MB,
 * for the same time per call).
 */
const ZSTD_OPTIONS = { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 }, chunkSize: 1024 };
const compress: Compress = hasZstd
  ? (input) => zlib.zstdCompressSync(input, ZSTD_OPTIONS)
  : (input) => snappyCompress(input);
export const decompressors = hasZstd
  ? { ZSTD: (input: Uint8Array, _outputLength: number) => new Uint8Array(zlib.zstdDecompressSync(input)) }
  : {};

export interface PartInfo {
  /** Relative to the dataset directory, e.g. `date=2024-05-01/part-00003.parquet`. */
  path: string;
  day: string;
  number: number;
  records: number;
  /** The file's size (−1 when only listed). */
  bytes: number;
}

export const partName = (day: string, number: number): string =>
  `date=${day}/part-${String(number).padStart(5, "0")}.parquet`;

const fdatasync = promisify(fdatasyncCallback);
const closeFd = promisify(close);

const PART_FILE = /^part-(\d+)\.parquet$/;
const TEMP_FILE = /^\.part-\d+\.parquet\.tmp$/;

/**
 * A ByteWriter that hands its bytes to a file descriptor after every row group. One serves every
 * part of an export (`open` starts the next file), so its buffer, grown to a row group's size,
 * is allocated once.
 */
class FileByteWriter extends ByteWriter {
  private fd = -1;
  written = 0;
  constructor() {
    super(1 << 20);
  }
  /** Starts writing file `fd` (offsets from 0). */
  open(fd: number): void {
    this.fd = fd;
    this.offset = 0;
    this.index = 0;
    this.written = 0;
  }
  flush(): void {
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.written += bytes.length;
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
}

/**
 * A row group in the making, of any table (schema.ts's RowGroupColumns for outcomes; an evidence
 * file's columns): rows are added to it by its owner, and OpenPart writes it out when full.
 */
export interface RowGroupLike {
  readonly length: number;
  readonly full: boolean;
  write(context: ChunkContext): RowGroup;
  reset(): void;
}

/** One part being written: its temp file, the Parquet writer over it, the row group being filled. */
class OpenPart<G extends RowGroupLike = RowGroupColumns> {
  readonly info: PartInfo;
  private readonly dir: string;
  private readonly temp: string;
  private readonly fd: number;
  private readonly bytes: FileByteWriter;
  private readonly writer: ParquetWriter;
  private readonly group: G;
  private readonly context: ChunkContext;

  /**
   * `where`: the file's directory, its temporary name there, and its info (`info.path`, the final
   * name, relative to the directory `commit` is given).
   */
  constructor(
    where: { dir: string; temp: string; info: PartInfo },
    group: G,
    bytes: FileByteWriter,
    scratch: Pick<ChunkContext, "levels" | "values">,
    createdBy: string,
    mode: number,
    schema: readonly unknown[] = PARQUET_SCHEMA,
  ) {
    this.info = where.info;
    this.dir = where.dir;
    // A `date=` partition: created or entered only as a real directory, never through a link.
    ensureRealDirectory(this.dir, { field: "out" });
    this.temp = where.temp;
    // Never through a link planted at the temp name; owner-only unless the export says otherwise.
    this.fd = openSync(this.temp, OWN_FILE_TRUNCATE, mode);
    this.bytes = bytes;
    bytes.open(this.fd);
    this.group = group;
    this.group.reset();
    this.context = { out: this.bytes, codec: CODEC, compress, ...scratch };
    // The file's framing (magic, footer metadata) is hyparquet-writer's; the row groups are
    // written by RowGroupColumns (columns.ts) and handed to it.
    this.writer = new ParquetWriter({
      writer: this.bytes,
      schema: schema as never,
      codec: CODEC,
      statistics: false,
      createdBy,
    });
  }

  /** Key/value pairs for the footer (set before `commit`): an evidence file's manifest. */
  setMetadata(pairs: ReadonlyArray<{ key: string; value: string }>): void {
    this.writer.kvMetadata = [...pairs];
  }

  /** One row, put into the row group by `fill`; the group is written out once full. */
  addRow(fill: (group: G) => void): void {
    fill(this.group);
    this.info.records += 1;
    if (this.group.full) this.flushGroup();
  }

  private flushGroup(): void {
    if (this.group.length === 0) return;
    const rowGroup = this.group.write(this.context);
    this.writer.row_groups.push(rowGroup);
    this.writer.num_rows += rowGroup.num_rows;
    this.bytes.flush();
    this.group.reset();
  }

  /**
   * Writes the last row group and the footer (now), then, off the event loop, makes the file
   * durable and gives it its final name: the part is in the dataset when `durable` resolves.
   */
  commit(dataset: string): { info: PartInfo; durable: Promise<void> } {
    this.flushGroup();
    this.writer.finish();
    this.info.bytes = this.bytes.written;
    const fd = this.fd;
    const durable = (async () => {
      try {
        await fdatasync(fd);
      } finally {
        await closeFd(fd);
      }
      // Checked again just before the rename: a link planted since the part was opened is refused.
      checkRealDirectory(this.dir, { field: "out" });
      await rename(this.temp, path.join(dataset, this.info.path));
      const dir = await open(this.dir, "r");
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    })();
    durable.catch(() => {}); // observed by the exporter; never an unhandled rejection
    return { info: this.info, durable };
  }

  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {}
  }
}

export interface DatasetWriterOptions {
  dir: string;
  /** The number of the first part written (parts before it are already in the dataset). */
  firstPart: number;
  partRows?: number;
  rowGroupRows?: number;
  createdBy?: string;
  /** The parts' file mode (default 0o600). */
  mode?: number;
}

/**
 * Appends records to the dataset, one part at a time; the caller closes a part where it wants
 * one to end (see needsNewPart).
 */
export class DatasetWriter {
  private readonly dir: string;
  private readonly partRows: number;
  private readonly rowGroupRows: number;
  private readonly createdBy: string;
  private readonly mode: number;
  private next: number;
  private part: OpenPart | null = null;
  /** The row group being filled: one for every part, its buffers reused. */
  private readonly group: RowGroupColumns;
  private readonly scratch = { levels: new ByteWriter(), values: new ByteWriter() };
  private readonly bytes = new FileByteWriter();

  constructor(options: DatasetWriterOptions) {
    this.dir = options.dir;
    this.next = options.firstPart;
    this.partRows = options.partRows ?? PART_ROWS;
    this.rowGroupRows = Math.min(options.rowGroupRows ?? ROW_GROUP_ROWS, this.partRows);
    this.createdBy = options.createdBy ?? "cxone-outbound (hyparquet-writer)";
    this.mode = options.mode ?? DEFAULT_FILE_MODE;
    this.group = new RowGroupColumns(this.rowGroupRows);
  }

  /** The number the next part will get. */
  get nextPart(): number {
    return this.next;
  }

  /** True when a record of `day` must go to a new part (the current one is full or of another day). */
  needsNewPart(day: string): boolean {
    return this.part !== null && (this.part.info.day !== day || this.part.info.records >= this.partRows);
  }

  /** Closes the part being written (if any): its info now, `durable` once it is in the dataset. */
  close(): { info: PartInfo; durable: Promise<void> } | null {
    const part = this.part;
    if (!part) return null;
    this.part = null;
    return part.commit(this.dir);
  }

  add(record: CanonicalRecord, day: string, category: string | null): void {
    if (this.part === null) {
      const dir = path.join(this.dir, `date=${day}`);
      this.part = new OpenPart(
        {
          dir,
          temp: path.join(dir, `.part-${String(this.next).padStart(5, "0")}.parquet.tmp`),
          info: { path: partName(day, this.next), day, number: this.next, records: 0, bytes: 0 },
        },
        this.group,
        this.bytes,
        this.scratch,
        this.createdBy,
        this.mode,
      );
      this.next += 1;
    }
    this.part.addRow((group) => group.add(record, category));
  }

  /** Drops the part being written (its temp file stays for cleanDataset to remove). */
  abandon(): void {
    this.part?.abandon();
    this.part = null;
  }
}

/**
 * One Parquet file (`--out day.parquet`): the columns of a dataset's parts, every record in one
 * file however many days it spans, written row group by row group to a hidden temporary name
 * beside it (`.NAME.tmp`) and renamed when closed, so the name holds a whole file or nothing.
 */
export class ParquetFileWriter {
  private readonly table: ParquetTableWriter<RowGroupColumns>;
  constructor(file: string, options: { rowGroupRows?: number; createdBy?: string; mode?: number } = {}) {
    this.table = new ParquetTableWriter(
      file,
      new RowGroupColumns(options.rowGroupRows ?? ROW_GROUP_ROWS),
      PARQUET_SCHEMA,
      options,
    );
  }

  get records(): number {
    return this.table.records;
  }

  add(record: CanonicalRecord, category: string | null): void {
    this.table.addRow((group) => group.add(record, category));
  }

  /** Writes the footer now; `durable` resolves once the file has its name. */
  close(): { info: PartInfo; durable: Promise<void> } {
    return this.table.close();
  }

  /** Drops the file being written (its temporary file is left for `parquetFileTemp` to name). */
  abandon(): void {
    this.table.abandon();
  }
}

/**
 * One Parquet file of any table (`group` fills its columns, `schema` names them), written as an
 * outcomes file is: row group by row group to the hidden temporary name, renamed when closed.
 */
export class ParquetTableWriter<G extends RowGroupLike> {
  private readonly part: OpenPart<G>;
  private readonly dir: string;
  constructor(
    file: string,
    group: G,
    schema: readonly unknown[],
    options: { createdBy?: string; mode?: number } = {},
  ) {
    const dir = path.dirname(file);
    this.dir = dir;
    this.part = new OpenPart(
      {
        dir,
        temp: parquetFileTemp(file),
        info: { path: path.basename(file), day: "", number: 0, records: 0, bytes: 0 },
      },
      group,
      new FileByteWriter(),
      { levels: new ByteWriter(), values: new ByteWriter() },
      options.createdBy ?? "cxone-outbound (hyparquet-writer)",
      options.mode ?? 0o600,
      schema,
    );
  }

  get records(): number {
    return this.part.info.records;
  }

  addRow(fill: (group: G) => void): void {
    this.part.addRow(fill);
  }

  /** Key/value pairs for the footer, written by `close`. */
  setMetadata(pairs: ReadonlyArray<{ key: string; value: string }>): void {
    this.part.setMetadata(pairs);
  }

  /** Writes the footer now; `durable` resolves once the file has its name. */
  close(): { info: PartInfo; durable: Promise<void> } {
    return this.part.commit(this.dir);
  }

  /** Drops the file being written (its temporary file is left for `parquetFileTemp` to name). */
  abandon(): void {
    this.part.abandon();
  }
}

/** The temporary name a single Parquet file is written under (hidden, beside it). */
export function parquetFileTemp(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
}

/** The directory of one campaign's dataset under an export's `out` directory. */
export function campaignDatasetDir(out: string, campaignId: string): string {
  return path.join(out, `campaign=${encodeURIComponent(campaignId)}`);
}

/** Trees that are not storage (kernel views); a recursive mkdir there can spin (Node retries). */
const NOT_STORAGE = ["/proc", "/sys", "/dev"];

/**
 * Checks that `dir` can hold a dataset before anything is fetched or written: an existing
 * directory, or a path whose nearest existing ancestor is a directory on real storage. A regular
 * file, a dangling symbolic link or a kernel tree is bad input (`field` names the setting).
 */
export async function prepareDatasetDir(dir: string, field: string): Promise<void> {
  await checkDatasetDir(dir, field);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new InputError({
      field,
      rule: `${dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    });
  }
}

/** prepareDatasetDir's checks alone: nothing is created. */
export async function checkDatasetDir(dir: string, field: string): Promise<void> {
  const refuse = (rule: string) => new InputError({ field, rule: `${dir} ${rule}` });
  const link = await lstat(dir).catch(() => undefined);
  if (link?.isSymbolicLink() && !(await stat(dir).catch(() => undefined)))
    throw refuse("is a symbolic link to a path that does not exist: give a directory");
  if (link && !(await stat(dir)).isDirectory())
    throw refuse("is not a directory (a Parquet dataset is a directory): give a directory path");
  let ancestor = dir;
  while (!(await stat(ancestor).catch(() => undefined))) {
    const parent = path.dirname(ancestor);
    if (parent === ancestor) break;
    ancestor = parent;
  }
  const real = await realpath(ancestor).catch(() => ancestor);
  if (NOT_STORAGE.some((tree) => real === tree || real.startsWith(`${tree}/`)))
    throw refuse(
      `is under ${real.split("/").slice(0, 2).join("/")}, which is not storage: give a directory on disk`,
    );
  if (!(await stat(ancestor)).isDirectory())
    throw refuse(`cannot be created: ${ancestor} is not a directory`);
}

/**
 * The dataset a path names for reading: a `campaign=` or `date=` directory as given; an export's
 * `out` directory that holds one campaign's dataset, that one; one that holds several is
 * ambiguous (each has its own hash), so the caller is told which to name.
 */
export async function resolveDatasetDir(dir: string): Promise<string> {
  const base = path.basename(dir);
  if (base.startsWith("date=") || base.startsWith("campaign=")) return dir;
  const campaigns = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && entry.name.startsWith("campaign="))
    .map((entry) => entry.name)
    .sort();
  if (campaigns.length === 0) return dir; // a dataset written before the campaign level
  if (campaigns.length === 1) return path.join(dir, campaigns[0] as string);
  throw new InputError({
    field: "FILE",
    rule: `${dir} holds the datasets of ${campaigns.length} campaigns (${campaigns.join(", ")}), each with its own compliance hash: name one, e.g. ${path.join(dir, campaigns[0] as string)}`,
  });
}

/** Every part file of the dataset (or of one `date=` partition directory), in part-number order. */
export async function listParts(dir: string): Promise<PartInfo[]> {
  const parts: PartInfo[] = [];
  const base = path.basename(dir);
  const partitionOf = async (partitionDir: string, day: string, prefix: string) => {
    for (const name of await readdir(partitionDir)) {
      const match = PART_FILE.exec(name);
      if (match)
        parts.push({ path: `${prefix}${name}`, day, number: Number(match[1]), records: -1, bytes: -1 });
    }
  };
  if (base.startsWith("date=")) await partitionOf(dir, base.slice(5), "");
  else
    for (const entry of await readdir(dir, { withFileTypes: true }))
      if (entry.isDirectory() && entry.name.startsWith("date="))
        await partitionOf(path.join(dir, entry.name), entry.name.slice(5), `${entry.name}/`);
  return parts.sort((a, b) => a.number - b.number || a.day.localeCompare(b.day));
}

/**
 * Prepares a dataset directory for an export: removes temporary files a killed run left, and
 * every part that is not one of `keep` (a resumed export's committed parts) in the partitions
 * `days` (a fresh export replaces the days of its window) or numbered from `fromPart` on (parts
 * renamed by a run killed before its checkpoint committed).
 */
export async function cleanDataset(
  dir: string,
  options: { keep: ReadonlySet<string>; days?: ReadonlySet<string>; fromPart?: number },
): Promise<void> {
  for (const partition of await namesIn(dir)) {
    if (!partition.startsWith("date=")) continue;
    const day = partition.slice(5);
    const partitionDir = path.join(dir, partition);
    // Never entered through a link: its target's parts would be deleted as stale.
    checkRealDirectory(partitionDir, { field: "out" });
    for (const name of await namesIn(partitionDir)) {
      const rel = `${partition}/${name}`;
      const match = PART_FILE.exec(name);
      const stale =
        TEMP_FILE.test(name) ||
        (match !== null &&
          !options.keep.has(rel) &&
          (options.days?.has(day) === true ||
            (options.fromPart !== undefined && Number(match[1]) >= options.fromPart)));
      if (stale) await rm(path.join(partitionDir, name), { force: true });
    }
  }
}

/**
 * The rows of a Parquet file, one row group at a time (memory holds one row group, never the
 * file): every column, or only `columns`. An outcomes part and an evidence file are read so.
 */
export async function* parquetRowGroups(
  file: string,
  columns?: string[],
): AsyncGenerator<Array<Record<string, unknown>>> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    yield (await parquetReadObjects({
      file: buffer,
      metadata,
      rowStart,
      rowEnd,
      ...(columns ? { columns } : {}),
      compressors: decompressors,
    })) as Array<Record<string, unknown>>;
    rowStart = rowEnd;
  }
}

/** The names in a directory; none when it cannot be read (gone, or not a directory). */
const namesIn = (dir: string): Promise<string[]> => readdir(dir).catch(() => []);

/** The records of one part file, in order, one row group at a time. */
export async function* readPart(file: string): AsyncGenerator<CanonicalRecord> {
  for await (const rows of parquetRowGroups(file)) for (const row of rows) yield recordFromRow(row);
}

/** The records of a dataset directory (or a single part file), parts in number order. */
export async function* readDataset(dir: string): AsyncGenerator<CanonicalRecord> {
  if (dir.endsWith(".parquet")) {
    yield* readPart(dir);
    return;
  }
  const dataset = await resolveDatasetDir(dir);
  for (const part of await listParts(dataset)) yield* readPart(path.join(dataset, part.path));
}
