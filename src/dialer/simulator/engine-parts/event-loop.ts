import type { EventQueue } from "../des/event-heap.ts";
import { eventKind, eventSubject } from "./event-payload.ts";

/** What an engine does on one kind of event at time `t`, about `subject` (a call's slot, or an agent). */
export type EventHandler<Run> = (run: Run, subject: number, t: number) => void;

/** An engine's handlers indexed by event kind, checked complete (kinds 0 to n − 1, each once). */
export function handlerTable<Run>(
  entries: ReadonlyArray<readonly [kind: number, handler: EventHandler<Run>]>,
): readonly EventHandler<Run>[] {
  const table: EventHandler<Run>[] = [];
  for (const [kind, handler] of entries) {
    if (table[kind] !== undefined) throw new Error(`two handlers for event kind ${kind}`);
    table[kind] = handler;
  }
  for (let kind = 0; kind < entries.length; kind++)
    if (table[kind] === undefined) throw new Error(`no handler for event kind ${kind}`);
  return table;
}

/**
 * The simulators' event loop: takes the events in time order, before `until`; for each, counts
 * it, moves the engine's clock to its time (the state held since the last event goes into the
 * engine's integrals) and runs the handler of its kind, which may schedule more. Ends when the
 * heap is empty or its next event is at `until` or later (left in the heap), or after
 * `maxEvents` events (a slice: the caller yields to the event loop and calls again). Answers
 * whether the run reached its end.
 */
export function runEvents<Run extends { events: number }>(
  heap: EventQueue,
  until: number,
  run: Run,
  advanceClock: (run: Run, t: number) => void,
  handlers: readonly EventHandler<Run>[],
  maxEvents = Number.POSITIVE_INFINITY,
): boolean {
  for (let taken = 0; taken < maxEvents; taken++) {
    if (heap.size === 0 || heap.peekTime() >= until) return true;
    const t = heap.peekTime();
    const payload = heap.pop();
    run.events++;
    advanceClock(run, t);
    (handlers[eventKind(payload)] as EventHandler<Run>)(run, eventSubject(payload), t);
  }
  return heap.size === 0 || heap.peekTime() >= until;
}
