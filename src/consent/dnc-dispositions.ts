/**
 * Which dispositions are a person's request not to be called again (issue 62 §1): a
 * disposition the campaign marks `dncRequest: true` (the campaign spec's / outcome map's codes),
 * else one whose name (or its reason's name) says so, in the words CXone tenants and the seeds
 * use ("Do Not Call", "Do Not Call Requested", "DNC", "Do not call again", "Remove from list").
 * A match says what matched, so a tag's output and the ledger's source can show why.
 */
export interface DncRequestMatch {
  /** `marked`: the campaign's own `dncRequest: true`; `name`: the default's words. */
  by: "marked" | "name";
  /** The code or name that matched. */
  matched: string;
}

/** The default's words, matched against a disposition's or reason's name (case and separators ignored). */
export const DNC_REQUEST_NAMES =
  /\b(?:do[\s_-]*not[\s_-]*call|don'?t[\s_-]*call|dnc|remove[ds]?[\s_-]*from[\s_-]*(?:the[\s_-]*)?(?:call[\s_-]*)?list|stop[\s_-]*calling|opt(?:ed)?[\s_-]*out)\b/i;

export interface DispositionFacts {
  code?: string | undefined;
  name?: string | undefined;
  reasonCode?: string | undefined;
  reasonName?: string | undefined;
}

/**
 * `marked`: the codes the campaign marks as do-not-call requests. When the campaign marks any,
 * only those count (the campaign has said which of its codes mean it); else the default's words.
 */
export function dncRequestOf(
  facts: DispositionFacts,
  marked?: ReadonlySet<string> | undefined,
): DncRequestMatch | undefined {
  if (marked && marked.size > 0) {
    for (const value of [facts.code, facts.name, facts.reasonCode])
      if (value !== undefined && marked.has(value)) return { by: "marked", matched: value };
    return undefined;
  }
  for (const value of [facts.name, facts.code, facts.reasonName, facts.reasonCode])
    if (value !== undefined && DNC_REQUEST_NAMES.test(value)) return { by: "name", matched: value };
  return undefined;
}
