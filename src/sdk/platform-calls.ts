import type { CallWindow, CountedCall } from "../campaigns/compliance/debt-calls.ts";
import type { ClientRuntime } from "./runtime.ts";

/**
 * CXone's side of every count of a number's or a debt's calls (campaigns/compliance/debt-calls.ts):
 * the dials on every list cxo pushed (the store's record of its pushes) and the completed contacts
 * of the skills concerned — `skills` (the push's, the plan's, a check's `--campaign`) and every
 * skill cxo pushed a list to within the window — so that a push, a plan, a check and a scrub count
 * the same calls. Undefined where the platform has no calling lists cxo feeds (the seed API: the
 * store's calls and touches are then the count), or nothing was pushed and no skill named.
 */
export async function platformCallsOf(
  runtime: ClientRuntime,
  params: { skills: readonly string[]; window: CallWindow; signal?: AbortSignal | undefined },
): Promise<CountedCall[] | undefined> {
  const lists = runtime.port.lists;
  if (!lists || runtime.port.support.unsupported("lists.timed") !== undefined) return undefined;
  const [{ pushedLists }, { readPlatformCalls }] = await Promise.all([
    import("../strategy/push-operations.ts"),
    import("../campaigns/compliance/debt-calls.ts"),
  ]);
  const store = await runtime.store();
  // A list pushed more than a day before the window holds no dial in it (a record expires with its window).
  const pushed = (await pushedLists(store)).filter(
    (l) => Date.parse(l.updatedAt) >= params.window.fromMs - 86_400_000,
  );
  const skills = new Set(params.skills);
  for (const list of pushed) if (list.campaignId !== undefined) skills.add(list.campaignId);
  if (pushed.length === 0 && skills.size === 0) return undefined;
  const { signal } = params;
  return readPlatformCalls(
    {
      pushedLists: pushed,
      attempts: (listId) => lists.attempts(listId, signal),
      skills: [...skills],
      completed: (skill, window) => runtime.port.outcomes.listCalls({ campaignId: skill, ...window }, signal),
    },
    params.window,
  );
}
