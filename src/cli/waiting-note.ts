/**
 * A step that usually answers at once but may hang (a login against an issuer that accepts the
 * connection and never answers) says, once and after WAITING_NOTE_MS, what it is waiting for:
 * the user is not left in silence until the deadline. The step itself is not touched: it ends
 * when it answers or at its own deadline.
 */
export const WAITING_NOTE_MS = 2000;

export async function noteWhileWaiting<T>(
  work: Promise<T>,
  note: () => void,
  afterMs = WAITING_NOTE_MS,
): Promise<T> {
  const timer = setTimeout(note, afterMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

/** What `auth check` waits for, naming the host. */
export function loginWaitingNote(url: string): string {
  return `waiting for ${new URL(url).host}: logging in and finding the tenant's API…`;
}
