/**
 * Where `cxo serve` keeps each paced campaign's window in the store (key-value namespaces, the
 * campaign id as the key): the seed pacer's state (`LivePacingState`) and the production budget
 * guard's (`BudgetGuardState`). Both hold the window's hours; the abandonment ledger reads them.
 */
export const PACING_STATE = "pacing.state";
export const PACING_GUARD = "pacing.guard";
