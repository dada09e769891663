import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";

/**
 * The floor an agent's Do Not Call is measured on (`npm run bench -- agent-dnc` and
 * test/consent/agent-dnc-lag.test.ts): the production emulator with CXone's warehouse lag, a
 * client on its writable access key, the service's store, and the fixtures' "Do Not Call"
 * disposition, a running skill that offers it and the active DNC group revocations go to.
 */
export interface AgentDncFloor {
  cxone: RunningCxoneEmulator;
  client: InternalClient;
  store: Store;
  /** The consent group (the active DNC group) the watcher sends revocations to. */
  groupId: string;
  /** A call on the skill, dispositioned "Do Not Call" by its agent and ended: its number. */
  agentSaysDoNotCall(): Promise<string>;
  /** The consent group holds the number (the emulator's own view). */
  groupHolds(phone: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function agentDncFloor(lagMinutes: number, prefix: string): Promise<AgentDncFloor> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 47,
    contacts: 20,
    days: 1,
  })) as RunningCxoneEmulator;
  const key = cxone.fixtures.accessKeys.find((k) => !k.readOnly);
  if (!key) throw new Error("the emulator holds no writable access key");
  const client = createInternalClient({
    connection: {
      platform: "cxone",
      issuer: cxone.url,
      accessKeyUrl: `${cxone.url}/authentication/v1/token/access-key`,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
    },
    dataDir: path.join(dir, "desk"),
  });
  const store = await openStore(path.join(dir, "service"));
  const admin = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const answer = await fetch(`${cxone.url}/_emulator${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} /_emulator${route}: ${answer.status} ${text}`);
    return text === "" ? undefined : JSON.parse(text);
  };
  await admin("POST", "/knobs", { warehouseLagS: lagMinutes * 60 });
  const f = cxone.fixtures;
  const dnc = f.dispositions.find((d) => d.dispositionName === "Do Not Call");
  const skill = f.skills.find((s) => s.isRunning && dnc && s.dispositionIds.includes(dnc.dispositionId));
  const group = f.dncGroups.find((g) => g.isActive);
  if (!dnc || !skill || !group) throw new Error("fixtures lack a DNC disposition, a skill or a group");
  return {
    cxone,
    client,
    store,
    groupId: String(group.dncGroupId),
    async agentSaysDoNotCall() {
      const { contacts } = (await admin("POST", `/skills/${skill.skillId}/contacts`, { count: 1 })) as {
        contacts: Array<{ contactId: number }>;
      };
      const contactId = String(contacts[0]?.contactId);
      const phone = (await client.port.dispositions.getCall(contactId)).phone ?? "";
      await client.port.dispositions.setCallDisposition(contactId, {
        dispositionCodeId: String(dnc.dispositionId),
        tags: [],
      });
      await admin("POST", `/contacts/${contactId}/end`);
      return phone;
    },
    async groupHolds(phone) {
      const { records } = (await admin("GET", `/dnc-groups/${group.dncGroupId}`)) as {
        records: Array<{ phone: string }>;
      };
      return records.some((r) => r.phone === phone);
    },
    async close() {
      await store.close();
      await client.close();
      await cxone.close();
    },
  };
}
