import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInternalClient } from "../src/client.ts";
import { installClock } from "../src/core/clock/index.ts";
import { silentLogger } from "../src/core/logging/index.ts";
import { openStore } from "../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../src/emulator/index.ts";
import { ConsentWatcher } from "../src/service/consent-watcher.ts";
import type { BenchRow } from "./types.ts";

/**
 * An agent's Do Not Call on a running clock: how long after CXone's warehouse lag (30 minutes, the
 * production emulator's default as CXone's) the number is in the consent group, with `cxo serve`'s
 * consent watcher on its own schedule (every `consent.pollSeconds`, 60 s of the clock). The test
 * (test/consent/agent-dnc-lag.test.ts) steps the clock a minute at a time, a watcher run taking no
 * clock time; here the clock runs at x60, x300 and x600, so each run's real time is clock time too
 * (at x600 half a second of work is five minutes). Goal: within the lag plus 5 minutes.
 */
const LAG_MINUTES = 30;
const START = "2026-12-09T15:00:00Z";

async function minutesPastLag(speed: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), `cxo-bench-agent-dnc-${speed}-`));
  const startMs = Date.parse(START);
  const clock = installClock({ kind: "running", atMs: startMs, at: START, rate: speed });
  const cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 47,
    contacts: 20,
    days: 1,
  })) as RunningCxoneEmulator;
  const key = cxone.fixtures.accessKeys.find((k) => !k.readOnly);
  if (!key) throw new Error("no key");
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
  const admin = async (method: string, route: string, body?: unknown) => {
    const answer = await fetch(`${cxone.url}/_emulator${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await answer.text();
    return text === "" ? undefined : JSON.parse(text);
  };
  try {
    await admin("POST", "/knobs", { warehouseLagS: LAG_MINUTES * 60 });
    const f = cxone.fixtures;
    const dnc = f.dispositions.find((d) => d.dispositionName === "Do Not Call");
    const skill = f.skills.find((s) => s.isRunning && dnc && s.dispositionIds.includes(dnc.dispositionId));
    const group = f.dncGroups.find((g) => g.isActive);
    if (!dnc || !skill || !group) throw new Error("fixtures lack a DNC disposition, a skill or a group");
    const watcher = new ConsentWatcher({
      client,
      store,
      logger: silentLogger,
      intervalMs: 60_000,
      firstDelayMs: 0,
      cxoneGroupId: String(group.dncGroupId),
    });
    // Its first read done (the 32 days' read of a new data dir), as a running serve's would be.
    await watcher.runNow();
    watcher.start();
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
    const saidAtMs = Date.now();
    const giveUpMs = saidAtMs + (LAG_MINUTES + 60) * 60_000;
    for (;;) {
      const { records } = (await admin("GET", `/dnc-groups/${group.dncGroupId}`)) as {
        records: Array<{ phone: string }>;
      };
      if (records.some((r) => r.phone === phone)) break;
      if (Date.now() > giveUpMs) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await watcher.stop();
    return (Date.now() - saidAtMs) / 60_000 - LAG_MINUTES;
  } finally {
    await store.close();
    await client.close();
    await cxone.close();
    clock.uninstall();
  }
}

export default async function agentDncBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const speed of [60, 300, 600]) {
    const past = await minutesPastLag(speed);
    rows.push({
      suite: "agent-dnc",
      metric: `an agent's Do Not Call in the consent group, clock x${speed}: minutes after CXone's 30-minute lag`,
      unit: "min",
      ours: Math.round(past * 10) / 10,
      target: "≤ 5",
      met: past <= 5,
    });
  }
  return rows;
}
