import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { InputError } from "../core/input-error.ts";
import { E164 } from "./records.ts";

/**
 * The pools file (`--pools FILE`): CSV with a header `callerId,pool`, one number a row. Numbers
 * of one pool share a registration or a CNAM, which analytics engines label as one, so they are
 * tested as one series. Returns number → pool name.
 */
export function readPoolsFile(file: string): Map<string, string> {
  let rows: string[][];
  try {
    rows = parse(readFileSync(file, "utf8"), { skip_empty_lines: true, trim: true }) as string[][];
  } catch (cause) {
    throw new InputError(
      { field: "pools", rule: `cannot read ${file}: ${(cause as Error).message}` },
      { cause },
    );
  }
  const [header, ...body] = rows;
  if (header?.[0] !== "callerId" || header[1] !== "pool")
    throw new InputError({ field: "pools", rule: "must be CSV with the header callerId,pool" });
  const pools = new Map<string, string>();
  body.forEach((cells, i) => {
    const [callerId, pool] = cells;
    if (!callerId || !E164.test(callerId))
      throw new InputError({ field: "pools.callerId", row: i + 2, rule: "must be E.164" });
    if (!pool) throw new InputError({ field: "pools.pool", row: i + 2, rule: "must name the pool" });
    pools.set(callerId, pool);
  });
  return pools;
}
