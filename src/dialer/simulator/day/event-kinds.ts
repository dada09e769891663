// What an event in the day simulator's heap stands for (its subject: a call's slot, or an agent).
/** The controller's tick (no subject). */
export const EV_TICK = 0;
/** A person answered and the detector let the call through (subject: call). */
export const EV_LIVE = 1;
/** The detector's verdict on an answer it held as a machine (subject: call). */
export const EV_SCREENED = 2;
/** No answer: the dialer gives up (subject: call). */
export const EV_RINGOUT = 3;
/** A waiting call's connect deadline, or its caller's patience (subject: call; stale once served). */
export const EV_DEADLINE = 4;
export const EV_TALK_END = 5;
export const EV_WRAP_END = 6;
/** The staffing changes (no subject). */
export const EV_STAFF = 7;
