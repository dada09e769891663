import type { Store } from "../core/store/index.ts";
import type { AccountKind } from "./accounts.ts";

/**
 * Rows passed through, their (account, number) pairs remembered in the store
 * (consent/accounts.ts) once the last row has passed — several debts of one number each kept, a
 * number given a sales household and a debt refused (an InputError naming both rows, nothing
 * remembered): a revocation of an account then reaches every
 * number a list or plan gave it, and every count of a debt's calls finds the debt's numbers. Used
 * by `plan` (the list, with the plan's kind) and `push` (the plan, each row with its own kind).
 */
export async function rememberedAccounts<T>(
  owner: { store(): Promise<Pick<Store, "db">> },
  rows: AsyncIterable<T> | Iterable<T>,
  source: string,
  kind?: AccountKind,
): Promise<AsyncGenerator<T>> {
  const { rememberingAccounts, rememberAccountNumbers, accountPairsOf } = await import("./accounts.ts");
  return rememberingAccounts(
    rows,
    accountPairsOf,
    async (pairs) => rememberAccountNumbers((await owner.store()).db, pairs, source, kind),
    kind,
  );
}
