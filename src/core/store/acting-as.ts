import type { Journal } from "./journal.ts";

/**
 * The same store, whose journaled operations are recorded as done by `actor` (the journal row and
 * so the audit record): the board's actions run the capability workflows the CLI runs, with the
 * signed-in person as the actor instead of the store's default (the CXone client id).
 */
export function actingAs<S extends { journal: Journal }>(store: S, actor: string): S {
  const journal = new Proxy(store.journal, {
    get(target, property) {
      if (property === "run")
        return (op: Parameters<Journal["run"]>[0], request: Parameters<Journal["run"]>[1]) =>
          // Nested, the outermost wins: an operator's fail-back run by the watchdog (itself acting
          // as `watchdog:<primary>`) is audited with the operator.
          target.run(op, { ...request, actor: request.actor ?? actor });
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return new Proxy(store, {
    get(target, property) {
      if (property === "journal") return journal;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
