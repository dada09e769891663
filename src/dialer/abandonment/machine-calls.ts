import { looseName } from "../../outcomes/disposition-map.ts";
import type { OutboundCall } from "../../platform/types.ts";

/**
 * Whether an outcome record is a call the answering-machine detector classified as a machine:
 * its disposition (name, else code) is "Answering Machine", "Machine" or "AMD" in any case or
 * spacing (CXone's system disposition; a seed-style code ANSWERING_MACHINE). The ledger's
 * sampling plan draws the recordings to review from these calls.
 */
const MACHINE_NAMES = new Set(["answeringmachine", "machine", "amd", "answeringmachinedetected"]);

export function isMachineVerdict(call: Pick<OutboundCall, "dispositionCode" | "dispositionName">): boolean {
  const name = call.dispositionName ?? call.dispositionCode;
  return name !== undefined && MACHINE_NAMES.has(looseName(name));
}
