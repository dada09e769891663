import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { snappyUncompress } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { readRleBitPackedHybrid } from "hyparquet/src/encoding.js";
import { ByteWriter } from "hyparquet-writer";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import { describe, expect, it } from "vitest";

/**
 * The Parquet writer (src/outcomes/parquet/) imports three functions from hyparquet-writer's
 * `src/` — not its public API, free to change in any 0.x release. So the version is pinned
 * exactly, and this test states what we rely on from each, checked by hyparquet's own readers
 * (the same library DuckDB-compatible files are read back with in the export tests): an upgrade
 * that changes any of them fails here, not in a customer's warehouse.
 */
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };
const require = createRequire(import.meta.url);
const installed = (name: string, from = process.cwd()) =>
  JSON.parse(readFileSync(path.join(from, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
    dependencies?: Record<string, string>;
  };

/** hyparquet's reader state: a view and an offset into it. */
const readerOf = (bytes: Uint8Array) => ({
  view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  offset: 0,
});

describe("hyparquet-writer: pinned, one hyparquet, and the three internals we import", () => {
  it("is pinned to one exact version, and hyparquet to the exact version it pins (one copy installed)", () => {
    const writer = installed("hyparquet-writer");
    expect(pkg.dependencies["hyparquet-writer"]).toBe(writer.version);
    const pinned = writer.dependencies?.hyparquet;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies.hyparquet).toBe(pinned);
    expect(installed("hyparquet").version).toBe(pinned);
    // No second copy nested under the writer: both resolve to the top-level one.
    expect(existsSync(path.join("node_modules", "hyparquet-writer", "node_modules", "hyparquet"))).toBe(
      false,
    );
    expect(require.resolve("hyparquet")).toBe(
      createRequire(require.resolve("hyparquet-writer")).resolve("hyparquet"),
    );
  });

  it("snappyCompress(bytes) → a Snappy block hyparquet decompresses to the same bytes", () => {
    const text = new TextEncoder().encode('{"dispositionCode":"CONVERTED","agentId":"a-1"}\n'.repeat(200));
    let seed = 7;
    const noise = Uint8Array.from({ length: 5000 }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    for (const input of [new Uint8Array(0), Uint8Array.of(42), text, noise]) {
      const compressed = snappyCompress(input);
      expect(compressed).toBeInstanceOf(Uint8Array);
      const output = new Uint8Array(input.length);
      snappyUncompress(compressed, output);
      expect(output).toEqual(input);
    }
    expect(snappyCompress(text).length).toBeLessThan(text.length / 10); // it does compress
  });

  it("writeRleBitPackedHybrid(writer, values, bitWidth) appends the RLE/bit-packed hybrid and returns its length", () => {
    const cases: [number[], number][] = [
      [Array.from({ length: 100 }, () => 1), 1], // one run
      [Array.from({ length: 37 }, (_, i) => i % 2), 1], // bit-packed, not a multiple of 8
      [[...Array.from({ length: 20 }, () => 0), 1, 0, 1, 1, ...Array.from({ length: 9 }, () => 1)], 1],
      [Array.from({ length: 300 }, (_, i) => (i * 7) % 200), 8], // dictionary indexes
      [Array.from({ length: 50 }, (_, i) => (i * 31) % 1000), 10],
    ];
    for (const [values, bitWidth] of cases) {
      const writer = new ByteWriter();
      writer.appendUint8(0xab); // starts where the writer is, not at 0
      const written = writeRleBitPackedHybrid(writer, values, bitWidth);
      expect(written).toBe(writer.offset - 1);
      const bytes = new Uint8Array(writer.getBytes());
      const reader = readerOf(bytes);
      reader.offset = 1;
      const decoded = new Array<number>(values.length);
      readRleBitPackedHybrid(reader, bitWidth, decoded, written);
      expect(decoded).toEqual(values);
    }
  });

  it("writePageHeader(writer, header) writes the thrift page header hyparquet reads back", () => {
    const dictionary = {
      type: "DICTIONARY_PAGE",
      uncompressed_page_size: 1234,
      compressed_page_size: 567,
      dictionary_page_header: { num_values: 9, encoding: "PLAIN" },
    } as const;
    const data = {
      type: "DATA_PAGE_V2",
      uncompressed_page_size: 4096,
      compressed_page_size: 1024,
      data_page_header_v2: {
        num_values: 1000,
        num_nulls: 3,
        num_rows: 1000,
        encoding: "RLE_DICTIONARY",
        definition_levels_byte_length: 12,
        repetition_levels_byte_length: 0,
        is_compressed: false,
      },
    } as const;
    const writer = new ByteWriter();
    writePageHeader(writer, dictionary);
    const firstEnd = writer.offset;
    writePageHeader(writer, {
      ...data,
      data_page_header_v2: { ...data.data_page_header_v2, is_compressed: true },
    });
    writePageHeader(writer, data);
    const reader = readerOf(new Uint8Array(writer.getBytes()));

    const d = parquetHeader(reader);
    expect(reader.offset).toBe(firstEnd);
    expect(d).toMatchObject({
      type: "DICTIONARY_PAGE",
      uncompressed_page_size: 1234,
      compressed_page_size: 567,
      dictionary_page_header: { num_values: 9, encoding: "PLAIN" },
    });
    const compressed = parquetHeader(reader);
    expect(compressed.data_page_header_v2?.is_compressed).toBe(true);
    const v2 = parquetHeader(reader);
    expect(v2).toMatchObject({
      type: "DATA_PAGE_V2",
      uncompressed_page_size: 4096,
      compressed_page_size: 1024,
    });
    expect(v2.data_page_header_v2).toMatchObject(data.data_page_header_v2);
    expect(reader.offset).toBe(writer.offset);
  });
});
