/** Where a zod transform reports a problem (the part of zod's refinement context a rule needs). */
export interface IssueSink {
  addIssue(issue: { code: "custom"; message: string }): void;
}

/**
 * A text rule of core's (the instant's, the calendar day's) as a zod transform, written once and
 * without loading zod here: the value's normal text when the rule takes it, otherwise an issue in
 * the rule's own words (its problem for this value, or the rule itself).
 */
export function ruleTransform(
  textOf: (value: string) => string | undefined,
  problemOf: (value: string) => string | undefined,
  rule: string,
): (value: string, ctx: IssueSink) => string {
  return (value, ctx) => {
    const text = textOf(value);
    if (text !== undefined) return text;
    ctx.addIssue({ code: "custom", message: problemOf(value) ?? rule });
    return value;
  };
}
