import type { ColumnChunk, CompressionCodec, Encoding, ParquetType, RowGroup } from "hyparquet";
import type { ByteWriter } from "hyparquet-writer";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";

/**
 * Column chunk encoders for the dataset writer: each column's values are encoded AS THEY
 * ARRIVE into bytes (Parquet's PLAIN encoding, or a dictionary and its indexes) in buffers
 * reused row group after row group, so a row group in the making holds bytes, not JavaScript
 * strings and numbers, and no per-value object is made (hyparquet-writer's `ParquetWriter.write`
 * takes arrays of values and converts each one, a BigInt per timestamp, a Uint8Array per
 * string, arrays of levels, before encoding them). The file framing stays hyparquet-writer's:
 * its page headers (thrift), RLE/bit-packed levels and dictionary indexes, and the file's
 * metadata and footer (`ParquetWriter.finish`).
 *
 * One data page (v2) per column chunk, preceded by a dictionary page for a dictionary column; a
 * row group is bounded in rows and in bytes by the caller.
 */

export type Compress = (input: Uint8Array) => Uint8Array;

/** Data page values shorter than this are written uncompressed (all-null columns: none at all). */
const COMPRESS_MIN_BYTES = 64;
/** A column chunk (dictionary and values) smaller than this is written with codec UNCOMPRESSED. */
const CHUNK_COMPRESS_MIN_BYTES = 4096;

/** A growable byte buffer (values in PLAIN encoding), emptied and refilled, never shrunk. */
export class Bytes {
  buffer: Buffer;
  length = 0;

  constructor(initialBytes = 1 << 14) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** The buffer, with room for `extra` more bytes. */
  room(extra: number): Buffer {
    if (this.length + extra > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    return this.buffer;
  }

  /** A BYTE_ARRAY value: its UTF-8 length (4 bytes, little-endian), then its UTF-8 bytes. */
  string(text: string): void {
    const n = text.length;
    const buffer = this.room(4 + n * 3); // UTF-8 never needs more than 3 bytes per UTF-16 unit
    const at = this.length + 4;
    let i = 0;
    // ASCII (ids, codes, phone numbers) byte by byte: cheaper than a call into C++ per value.
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      buffer[at + i] = c;
    }
    const bytes = i === n ? n : i + buffer.write(text.slice(i), at + i, "utf8");
    buffer.writeUInt32LE(bytes, this.length);
    this.length = at + bytes;
  }

  int32(value: number): void {
    this.room(4).writeInt32LE(value, this.length);
    this.length += 4;
  }

  /** An INT64 value given as a safe integer (two's complement, little-endian). */
  int64(value: number): void {
    const buffer = this.room(8);
    const high = Math.floor(value / 4_294_967_296);
    buffer.writeUInt32LE(value - high * 4_294_967_296, this.length);
    buffer.writeInt32LE(high, this.length + 4);
    this.length += 8;
  }

  append(bytes: Uint8Array): void {
    this.room(bytes.length).set(bytes, this.length);
    this.length += bytes.length;
  }

  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** A growable array of small integers (levels, dictionary indexes). */
class Ints {
  values: Int32Array;
  length = 0;
  constructor(initial = 1 << 12) {
    this.values = new Int32Array(initial);
  }
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  view(): Int32Array {
    return this.values.subarray(0, this.length);
  }
}

/**
 * The rows of a flat column and their definition levels: 1 for a value, 0 for a null (a required
 * column keeps none, and refuses a null). Every flat column counts its rows through this.
 */
class Presence {
  private readonly name: string;
  private readonly required: boolean;
  private readonly levels = new Ints();
  rows = 0;

  constructor(name: string, required: boolean) {
    this.name = name;
    this.required = required;
  }

  /** Counts a row; true when it holds a value (the caller then adds the value). */
  accept(value: unknown): boolean {
    this.rows += 1;
    if (value === null) {
      if (this.required) throw new Error(`parquet column ${this.name} is required: no value`);
      this.levels.push(0);
      return false;
    }
    if (!this.required) this.levels.push(1);
    return true;
  }

  /** The page's parts for `present` values among the rows. */
  parts(present: number): PageParts {
    return flatParts(this.rows, present, this.required ? null : this.levels.view());
  }

  reset(): void {
    this.rows = 0;
    this.levels.length = 0;
  }
}

/** Below this many values a column stays in its dictionary whatever its cardinality. */
const DICTIONARY_PROBE = 1024;

/**
 * The non-null values of a column: a dictionary (distinct values in PLAIN encoding, one index
 * per value), or PLAIN bytes. A dictionary column turns plain for good (its values re-encoded
 * from the dictionary) when its distinct values pass half its values after DICTIONARY_PROBE
 * values: the dictionary would not pay for itself.
 */
class Values<T extends string | number> {
  private readonly encode: (bytes: Bytes, value: T) => void;
  private dictionary: Map<T, number> | null;
  private readonly entries = new Bytes();
  private readonly ends = new Ints(64);
  private readonly indexes = new Ints();
  readonly plain = new Bytes();
  count = 0;
  // The last value added and its index: runs of one value (a campaign, a direction) skip the Map.
  private last: T | null = null;
  private lastIndex = 0;

  constructor(encode: (bytes: Bytes, value: T) => void, dictionary: boolean) {
    this.encode = encode;
    this.dictionary = dictionary ? new Map() : null;
  }

  add(value: T): void {
    this.count += 1;
    const dictionary = this.dictionary;
    if (dictionary === null) {
      this.encode(this.plain, value);
      return;
    }
    if (value === this.last) {
      this.indexes.push(this.lastIndex);
      return;
    }
    let index = dictionary.get(value);
    if (index === undefined) {
      index = dictionary.size;
      if (index >= DICTIONARY_PROBE && index * 2 >= this.count) {
        this.toPlain();
        this.encode(this.plain, value);
        return;
      }
      dictionary.set(value, index);
      this.encode(this.entries, value);
      this.ends.push(this.entries.length);
    }
    this.last = value;
    this.lastIndex = index;
    this.indexes.push(index);
  }

  /** Bytes held (an estimate of the encoded size). */
  size(): number {
    return this.plain.length + this.entries.length + this.indexes.length;
  }

  /** The dictionary's entries (PLAIN), or null when the values are plain. */
  dictionaryPage(): { bytes: Buffer; entries: number } | null {
    return this.dictionary === null || this.dictionary.size === 0
      ? null
      : { bytes: this.entries.view(), entries: this.dictionary.size };
  }

  /** The data page's values: dictionary indexes (bit width, then RLE/bit-packed), or PLAIN bytes. */
  dataValues(scratch: ByteWriter): Uint8Array {
    const dictionary = this.dictionary;
    if (dictionary === null || dictionary.size === 0) return this.plain.view();
    const bitWidth = Math.ceil(Math.log2(dictionary.size));
    scratch.appendUint8(bitWidth);
    writeRleBitPackedHybrid(scratch, this.indexes.view(), bitWidth);
    return scratch.getBytes();
  }

  reset(dictionary: boolean): void {
    this.count = 0;
    this.last = null;
    this.dictionary = dictionary ? (this.dictionary ?? new Map()) : null;
    this.dictionary?.clear();
    this.entries.length = 0;
    this.ends.length = 0;
    this.indexes.length = 0;
    this.plain.length = 0;
  }

  private toPlain(): void {
    const { buffer } = this.entries;
    const ends = this.ends.values;
    const indexes = this.indexes.view();
    for (const index of indexes)
      this.plain.append(
        buffer.subarray(index === 0 ? 0 : (ends[index - 1] as number), ends[index] as number),
      );
    this.dictionary = null;
    this.last = null;
  }
}

const encodeString = (bytes: Bytes, value: string): void => bytes.string(value);
const encodeInt32 = (bytes: Bytes, value: number): void => bytes.int32(value);

/** What a column chunk needs to be written: where, how compressed, scratch space. */
export interface ChunkContext {
  out: ByteWriter;
  codec: CompressionCodec;
  compress: Compress;
  levels: ByteWriter;
  values: ByteWriter;
}

/** A column of one row group. */
export interface ColumnEncoder {
  readonly name: string;
  /** Bytes buffered (an estimate of the row group's size). */
  bytes(): number;
  write(context: ChunkContext): ColumnChunk;
  reset(): void;
}

/** Writes a row group's columns to `context.out`: the row group's metadata (every table's the same way). */
export function writeRowGroup(
  columns: readonly ColumnEncoder[],
  rows: number,
  context: ChunkContext,
): RowGroup {
  const start = context.out.offset;
  const chunks = columns.map((column) => column.write(context));
  let uncompressed = 0n;
  for (const chunk of chunks) uncompressed += chunk.meta_data?.total_uncompressed_size ?? 0n;
  return {
    columns: chunks,
    total_byte_size: uncompressed,
    num_rows: BigInt(rows),
    total_compressed_size: BigInt(context.out.offset - start),
  };
}

interface PageParts {
  /** Repetition levels (0 or 1 per slot), for a list column. */
  repetition: Int32Array | null;
  /** Definition levels, for a column that has them. */
  definition: Int32Array | null;
  numValues: number;
  numNulls: number;
  numRows: number;
}

const resetWriter = (writer: ByteWriter): void => {
  writer.index = 0;
  writer.offset = 0;
};

/** Writes a column chunk: the dictionary page (if any), then one data page (v2). */
/** The page of a flat column (no repetition) of `rows` rows, `present` of them not null. */
function flatParts(rows: number, present: number, definition: PageParts["definition"]): PageParts {
  return { repetition: null, definition, numValues: rows, numNulls: rows - present, numRows: rows };
}

function writeChunk(
  context: ChunkContext,
  path: string[],
  type: ParquetType,
  values: Values<string> | Values<number> | Bytes,
  parts: PageParts,
  statistics?: { min: number; max: number },
): ColumnChunk {
  const { out, levels } = context;
  const start = out.offset;
  let uncompressed = 0;
  let dictionaryOffset: bigint | undefined;
  const dictionary = values instanceof Bytes ? null : values.dictionaryPage();
  resetWriter(context.values);
  const data = values instanceof Bytes ? values.view() : values.dataValues(context.values);
  // A chunk of a few KB is written uncompressed (its codec says so): zstd would save a few
  // hundred bytes for a call that costs more than encoding the chunk.
  const small = (dictionary?.bytes.length ?? 0) + data.length < CHUNK_COMPRESS_MIN_BYTES;
  const codec = small ? "UNCOMPRESSED" : context.codec;
  const compress = small ? (input: Uint8Array) => input : context.compress;
  if (dictionary) {
    dictionaryOffset = BigInt(out.offset);
    const compressed = compress(dictionary.bytes);
    const headerStart = out.offset;
    writePageHeader(out, {
      type: "DICTIONARY_PAGE",
      uncompressed_page_size: dictionary.bytes.length,
      compressed_page_size: compressed.length,
      dictionary_page_header: { num_values: dictionary.entries, encoding: "PLAIN" },
    });
    uncompressed += out.offset - headerStart + dictionary.bytes.length;
    out.appendBytes(compressed);
  }
  resetWriter(levels);
  const repetitionBytes = parts.repetition ? writeRleBitPackedHybrid(levels, parts.repetition, 1) : 0;
  const definitionBytes = parts.definition ? writeRleBitPackedHybrid(levels, parts.definition, 1) : 0;
  // A data page (v2) says whether its values are compressed: a few bytes are not worth a call.
  const compressing = !small && data.length >= COMPRESS_MIN_BYTES;
  const compressed = compressing ? compress(data) : data;
  const dataOffset = BigInt(out.offset);
  const encoding: Encoding = dictionary ? "RLE_DICTIONARY" : "PLAIN";
  writePageHeader(out, {
    type: "DATA_PAGE_V2",
    uncompressed_page_size: levels.offset + data.length,
    compressed_page_size: levels.offset + compressed.length,
    data_page_header_v2: {
      num_values: parts.numValues,
      num_nulls: parts.numNulls,
      num_rows: parts.numRows,
      encoding,
      definition_levels_byte_length: definitionBytes,
      repetition_levels_byte_length: repetitionBytes,
      is_compressed: compressing,
    },
  });
  uncompressed += out.offset - Number(dataOffset) + levels.offset + data.length;
  out.appendBytes(levels.getBytes());
  out.appendBytes(compressed);
  return {
    file_offset: BigInt(start),
    meta_data: {
      type,
      encodings: dictionary ? ["PLAIN", "RLE_DICTIONARY"] : ["PLAIN"],
      path_in_schema: path,
      codec,
      num_values: BigInt(parts.numValues),
      total_uncompressed_size: BigInt(uncompressed),
      total_compressed_size: BigInt(out.offset - start),
      data_page_offset: dataOffset,
      ...(dictionaryOffset === undefined ? {} : { dictionary_page_offset: dictionaryOffset }),
      ...(statistics
        ? {
            statistics: { min_value: statistics.min, max_value: statistics.max, null_count: 0n },
            encoding_stats: [{ page_type: "DATA_PAGE_V2", encoding, count: 1 }],
          }
        : {}),
    },
  };
}

/** A flat BYTE_ARRAY column (UTF8 or JSON text), required or optional. */
export class StringColumn implements ColumnEncoder {
  readonly name: string;
  private readonly dictionary: boolean;
  private readonly values: Values<string>;
  private readonly presence: Presence;

  constructor(name: string, options: { required?: boolean; dictionary: boolean }) {
    this.name = name;
    this.dictionary = options.dictionary;
    this.values = new Values<string>(encodeString, options.dictionary);
    this.presence = new Presence(name, options.required === true);
  }

  add(value: string | null): void {
    if (this.presence.accept(value)) this.values.add(value as string);
  }

  bytes(): number {
    return this.values.size() + this.presence.rows;
  }

  write(context: ChunkContext): ColumnChunk {
    return writeChunk(
      context,
      [this.name],
      "BYTE_ARRAY",
      this.values,
      this.presence.parts(this.values.count),
    );
  }

  reset(): void {
    this.presence.reset();
    this.values.reset(this.dictionary);
  }
}

/** An optional INT32 column (dictionary-encoded while that pays). */
export class Int32Column implements ColumnEncoder {
  readonly name: string;
  private readonly values = new Values<number>(encodeInt32, true);
  private readonly presence: Presence;

  constructor(name: string) {
    this.name = name;
    this.presence = new Presence(name, false);
  }

  add(value: number | null): void {
    if (this.presence.accept(value)) this.values.add(value as number);
  }

  bytes(): number {
    return this.presence.rows * 5;
  }

  write(context: ChunkContext): ColumnChunk {
    return writeChunk(context, [this.name], "INT32", this.values, this.presence.parts(this.values.count));
  }

  reset(): void {
    this.presence.reset();
    this.values.reset(true);
  }
}

/** An optional BOOLEAN column, PLAIN (bit-packed, least significant bit first). */
export class BooleanColumn implements ColumnEncoder {
  readonly name: string;
  private readonly values = new Bytes(1024);
  private readonly presence: Presence;
  private count = 0;

  constructor(name: string) {
    this.name = name;
    this.presence = new Presence(name, false);
  }

  add(value: boolean | null): void {
    if (!this.presence.accept(value)) return;
    if ((this.count & 7) === 0) {
      this.values.room(1)[this.values.length] = 0;
      this.values.length += 1;
    }
    if (value) (this.values.buffer[this.values.length - 1] as number) |= 1 << (this.count & 7);
    this.count += 1;
  }

  bytes(): number {
    return this.values.length + this.presence.rows;
  }

  write(context: ChunkContext): ColumnChunk {
    return writeChunk(context, [this.name], "BOOLEAN", this.values, this.presence.parts(this.count));
  }

  reset(): void {
    this.presence.reset();
    this.count = 0;
    this.values.length = 0;
  }
}

/** An INT64 timestamp column (milliseconds), PLAIN; with min/max statistics when asked. */
export class TimestampColumn implements ColumnEncoder {
  readonly name: string;
  private readonly statistics: boolean;
  private readonly values = new Bytes();
  private readonly presence: Presence;
  private count = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(name: string, options: { required?: boolean; statistics?: boolean } = {}) {
    this.name = name;
    this.statistics = options.statistics === true;
    this.presence = new Presence(name, options.required === true);
  }

  add(ms: number | null): void {
    if (!this.presence.accept(ms)) return;
    const value = ms as number;
    this.count += 1;
    this.values.int64(value);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  bytes(): number {
    return this.values.length + this.presence.rows;
  }

  write(context: ChunkContext): ColumnChunk {
    return writeChunk(
      context,
      [this.name],
      "INT64",
      this.values,
      this.presence.parts(this.count),
      this.statistics && this.count > 0 ? { min: this.min, max: this.max } : undefined,
    );
  }

  reset(): void {
    this.presence.reset();
    this.count = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.values.length = 0;
  }
}

/**
 * A required 3-level LIST of required strings (`name.list.element`): per row, an empty list is
 * one slot at definition level 0; a list of n strings is n slots at level 1, the first at
 * repetition level 0 and the others at 1.
 */
export class StringListColumn implements ColumnEncoder {
  readonly name: string;
  private readonly values = new Values<string>(encodeString, true);
  private readonly definition = new Ints();
  private readonly repetition = new Ints();
  private rows = 0;

  constructor(name: string) {
    this.name = name;
  }

  add(list: readonly string[]): void {
    this.rows += 1;
    if (list.length === 0) {
      this.definition.push(0);
      this.repetition.push(0);
      return;
    }
    for (let i = 0; i < list.length; i++) {
      this.definition.push(1);
      this.repetition.push(i === 0 ? 0 : 1);
      this.values.add(list[i] as string);
    }
  }

  bytes(): number {
    return this.values.size() + this.definition.length * 2;
  }

  write(context: ChunkContext): ColumnChunk {
    const slots = this.definition.length;
    return writeChunk(context, [this.name, "list", "element"], "BYTE_ARRAY", this.values, {
      repetition: this.repetition.view(),
      definition: this.definition.view(),
      numValues: slots,
      numNulls: slots - this.values.count,
      numRows: this.rows,
    });
  }

  reset(): void {
    this.rows = 0;
    this.definition.length = 0;
    this.repetition.length = 0;
    this.values.reset(true);
  }
}
