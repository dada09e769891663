/**
 * Whether this process queued outbox events (any store, any capability): a short-lived command
 * checks it before exiting to deliver what it created (see deliver-before-exit.ts).
 */
export const outboxActivity = { queued: false };
