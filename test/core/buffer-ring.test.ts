import { describe, expect, it } from "vitest";
import { BufferRing } from "../../src/core/buffer-ring.ts";
import { StaleBufferError } from "../../src/core/double-buffer.ts";

describe("BufferRing", () => {
  it("fills several generations at once, interleaved, each in its own buffer", () => {
    const ring = new BufferRing(3, 4);
    const a = ring.begin();
    const b = ring.begin();
    ring.write(a, Buffer.from("ab"));
    ring.write(b, Buffer.from("xy"));
    ring.write(a, Buffer.from("cdefgh")); // grows past the initial 4 bytes
    ring.write(b, Buffer.from("z"));
    expect(ring.bytes(a).toString()).toBe("abcdefgh");
    expect(ring.bytes(b).toString()).toBe("xyz");
    ring.restart(a);
    ring.write(a, Buffer.from("again"));
    expect(ring.bytes(a).toString()).toBe("again");
    expect(ring.bytes(b).toString()).toBe("xyz");
  });

  it("keeps generation g until g + size begins, then refuses to read or write it", () => {
    const ring = new BufferRing(3);
    const first = ring.begin();
    ring.write(first, Buffer.from("1"));
    ring.begin();
    ring.begin();
    expect(ring.bytes(first).toString()).toBe("1");
    const fourth = ring.begin();
    expect(() => ring.bytes(first)).toThrow(StaleBufferError);
    expect(() => ring.write(first, Buffer.from("late"))).toThrow(StaleBufferError);
    expect(ring.bytes(fourth).length).toBe(0);
    expect(() => ring.bytes(fourth + 1)).toThrow(StaleBufferError);
    expect(() => new BufferRing(1)).toThrow(RangeError);
  });
});
