import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createSafeWriteStream } from "./safe-write.ts";

/** A spooled copy is ours alone: a file of this kind is only ever one we just created. */
const SPOOL = { name: "spooled copy", recognise: () => false } as const;

/**
 * Runs `work` on a temporary file holding `source`'s bytes (standard input, a stream or rows
 * handed to the SDK), in a directory of its own that only this user can read, removed
 * afterwards whatever `work` does. The copy is written like every file the tool writes
 * (core/safe-write.ts: never through a link, mode 0600).
 */
export async function withSpooledFile<T>(
  source: AsyncIterable<unknown> | NodeJS.ReadableStream,
  name: string,
  work: (file: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "cxo-spool-"));
  try {
    const file = path.join(dir, name);
    const readable = source instanceof Readable ? source : Readable.from(source as AsyncIterable<unknown>);
    await pipeline(readable, createSafeWriteStream(file, { field: "spool", kind: SPOOL }));
    return await work(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
