import type { Store } from "../core/store/index.ts";

/**
 * Rows passed through, their (account, number) pairs remembered in the store
 * (consent/accounts.ts): a revocation of an account then reaches every number a list or plan
 * gave it. Used by `plan` (the list) and `push` (the plan).
 */
export async function rememberedAccounts<T>(
  owner: { store(): Promise<Pick<Store, "db">> },
  rows: AsyncIterable<T> | Iterable<T>,
  source: string,
): Promise<AsyncGenerator<T>> {
  const { rememberingAccounts, rememberAccountNumbers, accountPairOf } = await import(
    "../consent/accounts.ts"
  );
  return rememberingAccounts(rows, accountPairOf, async (pairs) =>
    rememberAccountNumbers((await owner.store()).db, pairs, source),
  );
}
