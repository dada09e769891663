import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient, ExportInterruptedError, StreamClosedError } from "../../src/index.ts";
import { StreamExportSink } from "../../src/outcomes/export-file.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 43 §2: an export into a caller's stream waits for 'drain' when the stream is full. That
 * wait honours the export's signal (a stalled reader could hold an aborted export forever), and a
 * destroyed stream, which never drains, ends the export instead of hanging it.
 */
const stalled = () => new PassThrough({ highWaterMark: 1 }); // never read: full after one byte
/** One turn of the event loop. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the stream sink", () => {
  it("a wait for 'drain' ends when the signal aborts, with the signal's reason", async () => {
    const controller = new AbortController();
    const sink = new StreamExportSink(stalled(), controller.signal);
    const write = sink.append("a record\n");
    await turn(); // the write waiting for 'drain'
    controller.abort(new Error("operator stopped it"));
    await expect(write).rejects.toThrow("operator stopped it");
    // Closing after the failure does not wait for a reader either.
    await sink.close(true);
  });

  it("a wait for 'drain' ends when the stream is destroyed, and a destroyed stream refuses writes", async () => {
    const stream = stalled();
    const sink = new StreamExportSink(stream);
    const write = sink.append("a record\n");
    await turn(); // the write waiting for 'drain'
    stream.destroy();
    await expect(write).rejects.toBeInstanceOf(StreamClosedError);
    await expect(sink.append("more\n")).rejects.toBeInstanceOf(StreamClosedError);
    await expect(sink.close()).rejects.toBeInstanceOf(StreamClosedError);
  });

  it("a stream that fails rejects the wait with its error", async () => {
    const failing = new Writable({
      highWaterMark: 1,
      write: (_chunk, _encoding, callback) => setImmediate(() => callback(new Error("disk full"))),
    });
    const sink = new StreamExportSink(failing);
    await expect(sink.append("a record\n")).rejects.toThrow("disk full");
  });

  it("a healthy stream is written and ended", async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    const sink = new StreamExportSink(stream);
    await sink.append("one\n");
    await sink.append(Buffer.from("two\n"));
    await sink.close();
    expect(Buffer.concat(chunks).toString()).toBe("one\ntwo\n");
    expect(sink.offset).toBe(8);
  });
});

describe("outcomes.export into a stream that stops reading", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, calls: 600, rateLimitScale: 1000, metricsIntervalMs: 0 });
  });
  afterAll(() => emulator.close());

  const clientOn = () => {
    const admin = emulator.fixtures.clients[0]!;
    return createClient({
      connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-stream-sink-")),
      http: { rateLimitScale: 1000 },
    });
  };
  const query = () => ({
    campaignId: emulator.fixtures.campaigns[0]!.id,
    from: new Date(Date.now() - 80 * 86_400_000),
    to: new Date(Date.now() - 60_000),
  });

  it("an abort stops it (ExportInterruptedError, the reason as cause), however stalled the reader", async () => {
    await using cxo = clientOn();
    const out = stalled();
    const controller = new AbortController();
    const exporting = cxo.outcomes
      .export(query(), { out }, { signal: controller.signal })
      .catch((e: unknown) => e);
    // Once the export is waiting on the full stream, stop it.
    await waitUntil(() => out.writableLength > 0, {
      what: "the export waiting on the full stream",
      timeoutMs: 60_000,
      intervalMs: 5,
    });
    controller.abort(new Error("operator stopped it"));
    const error = await exporting;
    expect(error).toBeInstanceOf(ExportInterruptedError);
    expect(((error as ExportInterruptedError).cause as Error).message).toBe("operator stopped it");
    // The old behaviour (a stalled reader held the export forever) is a hang: the test's timeout.
  });

  it("a deadline stops it too", async () => {
    await using cxo = clientOn();
    const error = await cxo.outcomes
      .export(query(), { out: stalled() }, { deadlineMs: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportInterruptedError);
    expect((error as ExportInterruptedError).cause).toMatchObject({ code: "deadline_exceeded" });
  });

  it("a destroyed stream ends it with an error naming the stream, not a hang", async () => {
    await using cxo = clientOn();
    const out = stalled();
    const exporting = cxo.outcomes.export(query(), { out }).catch((e: unknown) => e);
    await waitUntil(() => out.writableLength > 0, {
      what: "the export waiting on the full stream",
      timeoutMs: 60_000,
      intervalMs: 5,
    });
    out.destroy();
    const error = await exporting;
    expect(error).toBeInstanceOf(ExportInterruptedError);
    expect((error as ExportInterruptedError).cause).toBeInstanceOf(StreamClosedError);
    expect((error as Error).message).toMatch(/output stream/);
  });
});
