import { AREA_CODE_BYTES } from "./layout.ts";

/** One area code's set: bit n is the number NPA + n (7 digits, zero-padded). */
export const emptyAreaCode = () => new Uint8Array(AREA_CODE_BYTES);

export function popcount(bits: Uint8Array): number {
  const words = new Uint32Array(bits.buffer, bits.byteOffset, bits.byteLength >>> 2);
  let count = 0;
  for (let i = 0; i < words.length; i += 1) {
    let v = words[i] as number;
    if (v === 0) continue;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    count += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return count;
}

export const npaText = (npa: number) => String(npa).padStart(3, "0");
