import { type FileHandle, open, stat } from "node:fs/promises";
import type { Writable } from "node:stream";
import { CxoError } from "../core/cxo-error.ts";
import { DEFAULT_FILE_MODE, OWN_FILE_REOPEN, OWN_FILE_TRUNCATE } from "../core/safe-write.ts";

/** Where an export's bytes go: its file, or a caller's writable stream. */
export interface ExportSink {
  readonly offset: number;
  append(data: string | Buffer): Promise<void>;
  sync(): Promise<void>;
  /** Releases the sink; `failed` after an error or an abort (nothing more to wait for). */
  close(failed?: boolean): Promise<void>;
}

/**
 * The export file, appended page by page. `append` writes; `sync` (fdatasync) makes everything
 * appended before it durable. The exporter records an offset in a checkpoint only after a `sync`
 * that began after the bytes up to that offset were written, so a checkpoint never points past
 * data that a crash could lose. On resume the file is cut back to the checkpoint's offset: bytes written
 * after the last checkpoint (a page whose checkpoint never committed) are dropped and fetched
 * again, so a record is neither duplicated nor lost.
 */
export class ExportFile implements ExportSink {
  readonly path: string;
  private handle: FileHandle;
  private position: number;

  private constructor(path: string, handle: FileHandle, position: number) {
    this.path = path;
    this.handle = handle;
    this.position = position;
  }

  /** A new, empty file (an existing one is truncated; a link is never followed). */
  static async create(path: string, mode?: number): Promise<ExportFile> {
    const handle = await open(path, OWN_FILE_TRUNCATE, mode ?? DEFAULT_FILE_MODE);
    return new ExportFile(path, handle, 0);
  }

  /** The existing file cut back to `offset` bytes; fails if it holds fewer. */
  static async resume(path: string, offset: number): Promise<ExportFile> {
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (size < 0) throw new ExportResumeError(`cannot resume: ${path} does not exist any more`);
    if (size < offset)
      throw new ExportResumeError(
        `cannot resume: ${path} holds ${size} bytes but the checkpoint recorded ${offset}; it was changed since`,
      );
    const handle = await open(path, OWN_FILE_REOPEN);
    await handle.truncate(offset);
    await handle.datasync();
    return new ExportFile(path, handle, offset);
  }

  get offset(): number {
    return this.position;
  }

  /** Writes the bytes at the end of the file (not yet durable: see `sync`). */
  async append(data: string | Buffer): Promise<void> {
    if (data.length === 0) return;
    const buffer = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await this.handle.write(
        buffer,
        written,
        buffer.length - written,
        this.position,
      );
      written += bytesWritten;
      this.position += bytesWritten;
    }
  }

  /** Everything appended before this call is on disk when it resolves. */
  sync(): Promise<void> {
    return this.handle.datasync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * A caller's writable stream as an export's sink: writes wait for the stream to drain, `sync`
 * has nothing to make durable (a stream export is not resumable), `close` ends the stream.
 *
 * Every wait on the stream also ends when the export's signal aborts (rejecting with its reason)
 * or the stream is destroyed or fails (rejecting with StreamClosedError or the stream's error):
 * a stalled reader cannot hold an aborted export, and a destroyed stream, which never emits
 * 'drain' or 'finish' again, cannot hang it.
 */
export class StreamExportSink implements ExportSink {
  private readonly stream: NodeJS.WritableStream;
  private readonly signal: AbortSignal | undefined;
  private position = 0;

  constructor(stream: NodeJS.WritableStream, signal?: AbortSignal) {
    this.stream = stream;
    this.signal = signal;
  }

  get offset(): number {
    return this.position;
  }

  async append(data: string | Buffer): Promise<void> {
    if (data.length === 0) return;
    this.signal?.throwIfAborted();
    this.checkOpen("write to");
    const buffer = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    this.position += buffer.length;
    if (!this.stream.write(buffer)) await this.until("drain", "write to");
  }

  async sync(): Promise<void> {}

  /**
   * Ends the stream once everything written is flushed (as `stream.pipeline` does). After a
   * failure or an abort (`failed`), ends it without waiting for a reader that may never come.
   */
  async close(failed = false): Promise<void> {
    const writable = this.stream as Partial<Writable>;
    if (failed) {
      if (!writable.destroyed && !writable.writableEnded) this.stream.end();
      return;
    }
    this.checkOpen("finish");
    const finished = this.until("finish", "finish");
    this.stream.end();
    await finished;
  }

  private checkOpen(what: string): void {
    const writable = this.stream as Partial<Writable>;
    if (writable.errored) throw writable.errored;
    if (writable.destroyed) throw new StreamClosedError(`cannot ${what} the output stream: it was destroyed`);
  }

  /** Waits for `event`, or rejects at the signal's abort, the stream's error or its destruction. */
  private until(event: "drain" | "finish", what: string): Promise<void> {
    const stream = this.stream;
    const signal = this.signal;
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown) => {
        stream.removeListener(event, onEvent);
        stream.removeListener("error", onError);
        stream.removeListener("close", onClose);
        signal?.removeEventListener("abort", onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onEvent = () => settle();
      const onError = (error: unknown) => settle(error);
      const onClose = () =>
        settle(
          (stream as Partial<Writable>).errored ??
            new StreamClosedError(
              `cannot ${what} the output stream: it was closed before the export completed`,
            ),
        );
      const onAbort = () => settle(signal?.reason);
      if (signal?.aborted) return onAbort();
      stream.once(event, onEvent);
      stream.once("error", onError);
      stream.once("close", onClose);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** A stream export's output stream was destroyed (or closed) before the export completed. */
export class StreamClosedError extends CxoError {
  override readonly name = "StreamClosedError";
  readonly code = "stream_closed" as const;
}

/** The file on disk no longer matches the checkpoint: resuming would corrupt the export. */
export class ExportResumeError extends CxoError {
  override readonly name = "ExportResumeError";
  readonly code = "export_resume_refused" as const;
}
