import type { Store } from "../core/store/index.ts";
import type { AccountKind } from "./accounts.ts";

/**
 * Rows passed through, their (account, number) pairs remembered in the store
 * (consent/accounts.ts) once the last row has passed, a number given two accounts refused (an
 * InputError naming the row, nothing remembered): a revocation of an account then reaches every
 * number a list or plan gave it, and every count of a debt's calls finds the debt's numbers. Used
 * by `plan` (the list, with the plan's kind) and `push` (the plan, each row with its own kind).
 */
export async function rememberedAccounts<T>(
  owner: { store(): Promise<Pick<Store, "db">> },
  rows: AsyncIterable<T> | Iterable<T>,
  source: string,
  kind?: AccountKind,
): Promise<AsyncGenerator<T>> {
  const { rememberingAccounts, rememberAccountNumbers, accountPairOf } = await import("./accounts.ts");
  return rememberingAccounts(rows, accountPairOf, async (pairs) =>
    rememberAccountNumbers((await owner.store()).db, pairs, source, kind),
  );
}
