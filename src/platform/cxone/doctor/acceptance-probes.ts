import { z } from "zod";
import { listOf, text } from "../tolerant.ts";
import type { FactSpec } from "./facts.ts";
import { evidenceOf, ok } from "./probe-call.ts";
import { get, type Observation, PHONE_CALL, type ReadContext, seen, untold } from "./read-context.ts";

/**
 * Issue 75 §4: what the tenant accepts where the sources disagree. NICE's agent SDK sends query
 * names in another case than the documents (`orderby`) and JSON bodies labelled `text/plain`;
 * the generated client and cxo send them as documented. cxo sends the documented forms, so
 * neither fact changes what the adapter sends: each is recorded in the tenant profile (and the
 * production emulator's knob of the same name) so that "passes on the emulator" means the
 * tenant's own reading.
 */
export const QUERY_NAME_CASE_FACT: FactSpec = {
  id: "queryNameCase",
  title: "query names read in any case (NICE's SDK sends orderby) or only as documented",
  probe: "read",
  value: z.enum(["insensitive", "exact"]),
  assumption: "insensitive",
  // cxo sends the documented spelling: either answer agrees with what it needs.
  agrees: () => true,
};

export const JSON_BODY_LABEL_FACT: FactSpec = {
  id: "jsonBodyLabel",
  title: "a JSON body labelled text/plain is read (NICE's SDK sends them so) or refused",
  probe: "scratch",
  value: z.enum(["any", "json"]),
  assumption: "any",
  // cxo labels its bodies application/json: either answer agrees with what it needs.
  agrees: () => true,
};

/**
 * `GET /skills` ordered by name, descending, with the name spelled `orderBy` and then `orderby`:
 * the same order both times is "insensitive"; `orderby` answered in the unordered listing's
 * order (and `orderBy` not) is "exact". Untold with fewer than two skills of different names,
 * or when the tenant orders by neither. Two or three reads, nothing written.
 */
export async function probeQueryNameCase(ctx: ReadContext): Promise<Observation[]> {
  const id = QUERY_NAME_CASE_FACT.id;
  const names = async (query: Record<string, string | number>) => {
    const answer = await get(ctx, "/skills", "GET /skills", { mediaTypeId: PHONE_CALL, top: 100, ...query });
    return {
      answer,
      names: ok(answer) ? listOf(answer.body, "skills").map((s) => text(s.skillName) ?? "") : [],
    };
  };
  const documented = await names({ orderBy: "skillName desc" });
  const lower = await names({ orderby: "skillName desc" });
  const evidence = [
    evidenceOf(documented.answer, { skills: documented.names.length }),
    evidenceOf(lower.answer, { skills: lower.names.length }),
  ];
  if (!ok(documented.answer) || !ok(lower.answer)) return [untold(id, "GET /skills was refused", evidence)];
  const descending = [...documented.names].sort((a, b) => b.localeCompare(a));
  if (new Set(documented.names).size < 2)
    return [untold(id, "fewer than two skills with different names: no order to tell apart", evidence)];
  if (documented.names.join("\n") !== descending.join("\n"))
    return [untold(id, "the tenant did not order GET /skills by orderBy=skillName desc either", evidence)];
  return [seen(id, lower.names.join("\n") === descending.join("\n") ? "insensitive" : "exact", evidence)];
}
