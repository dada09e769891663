/** The longest account id cxo takes (a debt's reference, a CRM key): longer is a pasted row, not an id. */
export const MAX_ACCOUNT_ID_LENGTH = 128;

/**
 * Why `account` is not an account id, or undefined when it is (bad input): an id that
 * is empty (or only spaces) names no debt — a revocation or a count keyed on it would reach every
 * row whose cell is blank —, and one longer than 128 characters is a pasted row, not an id.
 */
export function accountIdProblem(account: string): string | undefined {
  if (account.trim() === "") return "is empty (or only spaces): an account id names a debt or a household";
  if (account.length > MAX_ACCOUNT_ID_LENGTH)
    return `is ${account.length} characters long: an account id has at most ${MAX_ACCOUNT_ID_LENGTH}`;
  return undefined;
}

/**
 * A plan row's `accountIds` as written: the list itself (NDJSON, the SDK), or its JSON
 * text (a CSV cell); undefined when absent or empty. Anything else is given back as it is, for the
 * reader's schema to name.
 */
export function accountIdsOf(value: unknown): unknown {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string" && value.trimStart().startsWith("["))
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  return value;
}
