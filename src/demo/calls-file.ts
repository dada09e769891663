import { csvText } from "../core/csv-cell.ts";
import type { DispositionMatrix } from "../platform/types.ts";
import { writeDemoFile } from "./demo-file.ts";

/**
 * A tagging file like an operations team would export from a dialer at the end of a shift:
 * `rows` calls of one campaign with dispositions from its matrix, plus a handful of rows with
 * the mistakes real files contain, so the demo can show them being caught before anything is
 * sent (a reason code that belongs to another disposition — the bug seed 000 let through —,
 * an unknown code, too many tags, a missing call id).
 */
export interface CallsFileSummary {
  path: string;
  rows: number;
  invalidRows: number;
}

const TAG_POOL = ["renewal", "q4-promo", "spanish", "vip", "callback-am", "retention"];

export async function writeDemoCallsFile(
  path: string,
  callIds: readonly string[],
  matrix: DispositionMatrix,
): Promise<CallsFileSummary> {
  const codes = matrix.codes;
  const records: Array<Record<string, string>> = callIds.map((callId, index) => {
    const code = codes[index % codes.length]!;
    const reason = code.reasonCodes.length > 0 ? code.reasonCodes[index % code.reasonCodes.length]!.id : "";
    const tags = index % 3 === 0 ? `${TAG_POOL[index % TAG_POOL.length]};shift-a` : "";
    return {
      callId,
      dispositionCodeId: code.id,
      reasonCodeId: reason,
      tags,
      notes: index % 50 === 0 ? "supervisor reviewed" : "",
    };
  });

  const withReasons = codes.filter((code) => code.reasonCodes.length > 0);
  const first = withReasons[0];
  const other = withReasons.find((code) => code !== first);
  const mistakes: Array<Record<string, string>> = [
    { callId: callIds[1] ?? "c1", dispositionCodeId: "NOT_A_CODE", reasonCodeId: "", tags: "", notes: "" },
    { callId: "", dispositionCodeId: codes[0]!.id, reasonCodeId: "", tags: "", notes: "no call id" },
    {
      callId: callIds[2] ?? "c2",
      dispositionCodeId: codes[0]!.id,
      reasonCodeId: "",
      tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(";"),
      notes: "",
    },
  ];
  if (first && other)
    mistakes.push({
      callId: callIds[3] ?? "c3",
      dispositionCodeId: first.id,
      reasonCodeId: other.reasonCodes[0]!.id,
      tags: "",
      notes: "reason code of another disposition",
    });
  // Spread the mistakes through the file rather than bunching them at the end.
  const step = Math.max(1, Math.floor(records.length / (mistakes.length + 1)));
  mistakes.forEach((mistake, index) => {
    records.splice(step * (index + 1), 0, mistake);
  });
  const text = csvText(records, {
    header: true,
    columns: ["callId", "dispositionCodeId", "reasonCodeId", "tags", "notes"],
  });
  await writeDemoFile(path, text);
  return { path, rows: records.length, invalidRows: mistakes.length };
}
