/**
 * An event in the simulators' heap is (time, int): the int packs what happens (the kind, 3
 * bits: 8 kinds per engine) and to whom (a call's slot or an agent, above them), so the heap
 * stays two typed arrays and scheduling allocates nothing.
 */
const KIND_BITS = 3;
const KIND_MASK = (1 << KIND_BITS) - 1;

export function eventPayload(kind: number, subject: number): number {
  return kind | (subject << KIND_BITS);
}

export function eventKind(payload: number): number {
  return payload & KIND_MASK;
}

/** The call slot or agent the event is about. */
export function eventSubject(payload: number): number {
  return payload >>> KIND_BITS;
}
