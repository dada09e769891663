import { InputError } from "../core/input-error.ts";
import { assertTextInputFile } from "../core/input-file.ts";
import { csvRecords } from "../core/input-rows.ts";
import { E164 } from "./records.ts";

/**
 * The pools file (`--pools FILE`): CSV with a header `callerId,pool`, one number a row. Numbers
 * of one pool share a registration or a CNAM, which analytics engines label as one, so they are
 * tested as one series. Returns number → pool name.
 *
 * Read through the one CSV reader (core/input-rows.ts): a FIFO or a device is refused before it
 * is opened, a record is bounded, and a bad row is named by its line in the file (blank lines
 * counted), not by its position among the rows (issue 80 §4: line 5 was reported as "row 3").
 */
export async function readPoolsFile(file: string): Promise<Map<string, string>> {
  assertTextInputFile(file, "pools");
  const pools = new Map<string, string>();
  let header = true;
  for await (const { lines, record } of csvRecords(file, "pools")) {
    const [callerId, pool] = record.map((cell) => cell.trim());
    if (header) {
      if (callerId !== "callerId" || pool !== "pool")
        throw new InputError({ field: "pools", rule: "must be CSV with the header callerId,pool" });
      header = false;
      continue;
    }
    if (!callerId || !E164.test(callerId))
      throw new InputError({ field: "pools.callerId", row: lines, rule: `line ${lines}: must be E.164` });
    if (!pool)
      throw new InputError({ field: "pools.pool", row: lines, rule: `line ${lines}: must name the pool` });
    pools.set(callerId, pool);
  }
  if (header) throw new InputError({ field: "pools", rule: "must be CSV with the header callerId,pool" });
  return pools;
}
