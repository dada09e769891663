import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { contactWriter } from "../../../src/campaigns/segment/contact-writer.ts";
import type { SegmentedContact } from "../../../src/campaigns/segment/segmented-contact.ts";

function row(i: number): SegmentedContact {
  return {
    id: `ct-${i}`,
    firstName: i % 3 === 0 ? null : `Ann "${i}" Ø`,
    lastName: "Lee",
    phone: `+1305555${String(i % 10_000).padStart(4, "0")}`,
    timeZone: null,
    state: i % 2 === 0 ? "FL" : null,
    consentCall: i % 4 === 0 ? null : true,
    allowed: i % 5 !== 0,
    reasons:
      i % 5 === 0
        ? [{ code: "no_consent", jurisdiction: "US", zone: null, ruleId: "us-consent", message: "no" }]
        : [],
    zones: ["America/New_York"],
    states: ["FL"],
    nextAllowedAt: i % 5 === 0 ? null : "2026-03-10T09:00:00-05:00",
  };
}

/** A file-like Writable that takes its time over each chunk and checks the chunk is not changed meanwhile. */
function slowSink() {
  const chunks: Buffer[] = [];
  const changedWhileWriting: number[] = [];
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      const copy = Buffer.from(chunk);
      setTimeout(() => {
        if (!copy.equals(chunk)) changedWhileWriting.push(chunks.length);
        chunks.push(copy);
        done();
      }, 2);
    },
  });
  return { out, chunks, changedWhileWriting };
}

async function writeAll(sink: ReturnType<typeof contactWriter>, count: number): Promise<number> {
  let waits = 0;
  for (let i = 0; i < count; i++) {
    const wait = sink.write(row(i));
    if (wait) {
      waits += 1;
      await wait;
    }
  }
  await sink.end();
  return waits;
}

describe("contactWriter (NDJSON)", () => {
  it("writes every row as its JSON line, in order, through a slow stream, without touching a chunk in flight", async () => {
    const { out, chunks, changedWhileWriting } = slowSink();
    const count = 3_000; // several 64 KiB chunks
    const waits = await writeAll(contactWriter(out, "ndjson", { closeOut: true }), count);
    const expected = Array.from({ length: count }, (_, i) => `${JSON.stringify(row(i))}\n`).join("");
    expect(Buffer.concat(chunks).toString("utf8")).toBe(expected);
    expect(changedWhileWriting).toEqual([]);
    expect(chunks.length).toBeGreaterThan(1);
    // Rows are taken without a promise each; the caller waits once per chunk.
    expect(waits).toBe(chunks.length - 1);
    expect(out.writableFinished).toBe(true);
  });

  it("leaves the stream open when asked (stdout), after writing the last rows", async () => {
    const { out, chunks } = slowSink();
    await writeAll(contactWriter(out, "ndjson", { closeOut: false }), 3);
    expect(Buffer.concat(chunks).toString("utf8").split("\n")).toHaveLength(4);
    expect(out.writableEnded).toBe(false);
  });

  it("passes a write error on to the caller", async () => {
    const out = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error("disk full"));
      },
    });
    out.on("error", () => {});
    const sink = contactWriter(out, "ndjson", { closeOut: true });
    await expect(writeAll(sink, 2_000)).rejects.toThrow("disk full");
  });
});

describe("contactWriter (CSV)", () => {
  it("writes the header and one record per row", async () => {
    const { out, chunks } = slowSink();
    await writeAll(contactWriter(out, "csv", { closeOut: true }), 2);
    const lines = Buffer.concat(chunks).toString("utf8").trim().split("\n");
    expect(lines[0]).toBe(
      "id,firstName,lastName,phone,timeZone,state,consentCall,allowed,reasonCodes,zones,states,nextAllowedAt",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^ct-0,,Lee,.*,false,no_consent,America\/New_York,FL,$/);
    expect(lines[2]).toMatch(
      /^ct-1,"Ann ""1"" Ø",Lee,.*,true,,America\/New_York,FL,2026-03-10T09:00:00-05:00$/,
    );
  });
});
