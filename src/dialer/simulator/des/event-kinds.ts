// What an event in the DES's heap stands for (its subject: a call's slot, or an agent).
/** Open loop: the next Poisson dial (no subject). */
export const EV_OPEN_DIAL = 0;
/** A machine, no answer or busy: the dial ends without a person (subject: call). */
export const EV_NONLIVE_END = 1;
/** A person answered and greeted: ready for an agent (subject: call). */
export const EV_LIVE_READY = 2;
/** A waiting caller's patience runs out (subject: call; stale once served). */
export const EV_ABANDON = 3;
export const EV_TALK_END = 4;
export const EV_WRAP_END = 5;
/** Dial again once the call spacing allows (no subject). */
export const EV_PACE = 6;
/** The adaptive controller's step (no subject). */
export const EV_CONTROL = 7;
