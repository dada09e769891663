import type { Dial } from "./types.ts";

/**
 * The dials the production emulator's list dialer made, read from its admin API (`GET
 * /_emulator/fixtures` for every calling list it holds, `GET /_emulator/lists/{id}/dials` for each
 * list's dials: the ground truth, not the attempts cxo reads). A dial is a conversation when it
 * was answered (the dialer puts an agent on every answered dial). Lists that were never dialled
 * give nothing.
 */
interface AdminDial {
  externalId: string;
  phone: string;
  at: string;
  attempt: number;
  systemClassName: string;
  debts?: string[];
}

async function admin<T>(baseUrl: string, route: string): Promise<T> {
  const response = await fetch(`${baseUrl}/_emulator${route}`);
  if (!response.ok) throw new Error(`GET /_emulator${route}: ${response.status}`);
  return (await response.json()) as T;
}

export async function emulatorListDials(baseUrl: string): Promise<Dial[]> {
  const fixtures = await admin<{ callingLists: Array<{ listId: number }> }>(baseUrl, "/fixtures");
  const dials: Dial[] = [];
  for (const { listId } of fixtures.callingLists) {
    const { dials: made } = await admin<{ dials: AdminDial[] }>(baseUrl, `/lists/${listId}/dials`);
    for (const d of made)
      dials.push({
        id: `list ${listId} record ${d.externalId} attempt ${d.attempt}`,
        phone: d.phone,
        at: d.at,
        conversation: d.systemClassName === "Answered",
        ...(d.debts ? { debts: d.debts } : {}),
      });
  }
  return dials;
}
