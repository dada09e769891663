import { describe, expect, it } from "vitest";
import { fileSize } from "../../src/core/counted.ts";

/** Issue 64 §3: an export of 33 kB was reported as "0.0 MB". */
describe("fileSize", () => {
  it("shows sizes under 1 MB in kB (or bytes), never as 0.0 MB", () => {
    expect(fileSize(0)).toBe("0 B");
    expect(fileSize(999)).toBe("999 B");
    expect(fileSize(1_500)).toBe("1.5 kB");
    expect(fileSize(33_012)).toBe("33 kB");
    expect(fileSize(999_000)).toBe("999 kB");
    expect(fileSize(2_345_678)).toBe("2.35 MB");
    expect(fileSize(123_456_789)).toBe("123.5 MB");
  });
});
