import type { Writable } from "node:stream";
import { createSafeWriteStream, type SafeWriteOptions, writeFileSafely } from "../core/safe-write.ts";

/**
 * The demo's files, in the out directory it made (and marked) itself: through the one
 * safe-write helper like every file cxo writes (never through a link; temporary file, rename),
 * replacing what an earlier demo run left there.
 */
const DEMO: SafeWriteOptions = {
  field: "--out",
  kind: { name: "file of the demo", recognise: () => true },
  force: true,
};

export async function writeDemoFile(path: string, text: string): Promise<void> {
  writeFileSafely(path, text, DEMO);
}

export function demoFileStream(path: string): Writable {
  return createSafeWriteStream(path, DEMO);
}
