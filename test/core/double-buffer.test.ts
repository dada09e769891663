import { describe, expect, it } from "vitest";
import { DoubleBuffer, StaleBufferError } from "../../src/core/double-buffer.ts";

describe("DoubleBuffer", () => {
  it("alternates two buffers: generation g stays intact while g + 1 is filled", () => {
    const buffers = new DoubleBuffer(4);
    const first = buffers.begin();
    buffers.writeLine("page one");
    const one = buffers.bytes();
    const second = buffers.begin();
    buffers.writeText("page two, longer than the initial four bytes");
    expect(one.toString()).toBe("page one\n");
    expect(buffers.bytes().toString()).toBe("page two, longer than the initial four bytes");
    buffers.assertReadable(first);
    buffers.assertReadable(second);
  });

  it("refuses to vouch for a generation once the generation after next has begun", () => {
    const buffers = new DoubleBuffer();
    const first = buffers.begin();
    buffers.begin();
    buffers.begin();
    expect(() => buffers.assertReadable(first)).toThrow(StaleBufferError);
  });

  it("restart empties the current generation only (a retried answer starts over)", () => {
    const buffers = new DoubleBuffer();
    buffers.begin();
    buffers.write(Buffer.from("kept"));
    const kept = buffers.bytes();
    const g = buffers.begin();
    buffers.write(Buffer.from("half an ans"));
    buffers.restart(g);
    buffers.write(Buffer.from("the whole answer"));
    expect(buffers.bytes().toString()).toBe("the whole answer");
    expect(kept.toString()).toBe("kept");
    expect(() => buffers.restart(g - 1)).toThrow(StaleBufferError);
  });

  it("grows without losing what was written, multi-byte text included", () => {
    const buffers = new DoubleBuffer(2);
    buffers.begin();
    const text = "é€😀".repeat(1000);
    buffers.writeLine(text);
    buffers.write(Buffer.from([1, 2, 3]));
    const bytes = buffers.bytes();
    expect(bytes.subarray(0, bytes.length - 3).toString()).toBe(`${text}\n`);
    expect([...bytes.subarray(bytes.length - 3)]).toEqual([1, 2, 3]);
  });
});
