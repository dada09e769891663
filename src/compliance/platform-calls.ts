import type { ClientContext } from "../platform/client-context.ts";
import type { CallWindow, CountedCall } from "./debt-calls.ts";

/**
 * CXone's side of every count of a number's or a debt's calls, wired to this client's platform and
 * store (what is read, and over which window: compliance/debt-calls.ts): the dials on
 * every list cxo pushed and the completed contacts of `skills` (the push's, the plan's, a check's
 * campaign) and of the skills those lists feed. Undefined where the platform has no calling
 * lists cxo feeds (the seed API: the store's calls and touches are then the count), or nothing was
 * pushed and no skill named.
 *
 * The completed contacts come from the calls kept by the one tenant-wide incremental read of
 * `/contacts/completed` (the agents' dispositions' read, consent/cxone-dispositions.ts), brought
 * up to date first when its last read is more than a minute old or does not reach back to the
 * window's start — not from a listing of the window per skill and per command (issue 100 §3).
 */
export async function platformCallsOf(
  client: ClientContext,
  params: {
    skills: readonly string[];
    window: CallWindow;
    signal?: AbortSignal | undefined;
    /**
     * Only the calls to these numbers (E.164) are kept (PlatformCallReader.keep), and only theirs
     * are read from the kept completed contacts; absent: every number.
     */
    numbers?: ReadonlySet<string> | undefined;
  },
): Promise<CountedCall[] | undefined> {
  const lists = client.port.lists;
  if (!lists || client.port.support.unsupported("lists.timed") !== undefined) return undefined;
  const [{ pushedLists }, { readPlatformCalls }, { completedCallsIn }, { syncCompletedCalls }] =
    await Promise.all([
      import("../core/store/pushed-lists.ts"),
      import("./debt-calls.ts"),
      import("../consent/completed-calls.ts"),
      import("../consent/fresh-dispositions.ts"),
    ]);
  const store = await client.store();
  const pushed = await pushedLists(store);
  if (pushed.length === 0 && params.skills.length === 0) return undefined;
  const { signal, numbers } = params;
  return readPlatformCalls(
    {
      pushedLists: pushed,
      attempts: (listId, since) => lists.attemptPages(listId, { updatedSince: since, signal }),
      skills: params.skills,
      // The calls' numbers are E.164 as read (calledNumberOf), the set's as the caller made them.
      keep: numbers && ((phone) => numbers.has(phone)),
      completed: async (skills, window) => {
        await syncCompletedCalls(client, { coverFromMs: window.fromMs, signal });
        return (await completedCallsIn(store.db, skills, window, numbers)).map((c) => ({
          phone: c.phone,
          atMs: c.startMs,
          conversation: c.conversation,
          contactId: c.contactId,
          campaignId: c.skillId,
          source: "completed" as const,
        }));
      },
    },
    params.window,
  );
}
