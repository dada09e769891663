import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { saveState } from "../../src/autopilot/state.ts";
import { whyForAutopilot, whyOfClient } from "../../src/autopilot/why.ts";
import type { Diagnosis } from "../../src/campaigns/diagnose/facts.ts";
import { createClient } from "../../src/index.ts";
import { applicationHostOf } from "../../src/sdk/application-host.ts";

/** An idle campaign's diagnosis: its list's records done and no agent logged in. */
const idle: Diagnosis = {
  campaignId: "4012",
  at: "2026-12-07T15:00:00-05:00",
  dialing: false,
  dialableNow: 0,
  causes: [
    { code: "list_exhausted", records: 12, share: 0.8, evidence: "12 records done", fix: "re-plan" },
    { code: "no_agents_logged_in", evidence: "0 of 5 agents", fix: "log agents in to the skill" },
  ],
  forecast: [],
  summary: "Not dialing: the list is exhausted — re-plan.",
};
const ran = {
  campaign: "4012",
  lastStep: { step: "push" as const, at: "2026-12-07T07:05:00-05:00", ok: true, text: "" },
};
const at = Date.parse(idle.at);

describe("cxo why on a campaign the autopilot runs", () => {
  it("leads with what a person must clear; what the autopilot does itself follows, said as such", () => {
    const why = whyForAutopilot(idle, ran, at);
    expect(why.causes.map((c) => c.code)).toEqual(["no_agents_logged_in", "list_exhausted"]);
    expect(why.summary).toMatch(/^Not dialing: no agent is logged in — log agents in/);
    expect(why.causes[1]?.fix).toMatch(/^nothing to do: the autopilot's next morning/);
  });

  it("a stop only resume lifts comes first, with the command", () => {
    const why = whyForAutopilot(
      idle,
      {
        ...ran,
        stopped: {
          at: "2026-12-07T09:00:00-05:00",
          code: "consent_group_unreadable",
          reason: "the consent group answers 404",
        },
      },
      at,
    );
    expect(why.summary).toMatch(
      /autopilot stopped this campaign .*404.*cxo autopilot resume --campaign 4012/,
    );
  });

  it("only what the autopilot does itself: nothing for a person to do", () => {
    const why = whyForAutopilot(
      { ...idle, causes: [idle.causes[0] as Diagnosis["causes"][number]] },
      ran,
      at,
    );
    expect(why.summary).toMatch(/^Not dialing, nothing for a person to do: the autopilot's next morning/);
  });

  it("a campaign the autopilot never ran is diagnosed as before", () => {
    expect(whyForAutopilot(idle, { campaign: "4012" }, at)).toBe(idle);
  });

  it("cxo why's answer from a client: the autopilot's state read from the store the client hosts it in", async () => {
    const client = createClient({ dataDir: mkdtempSync(path.join(tmpdir(), "cxo-why-")) });
    try {
      expect(await whyOfClient(client, idle)).toEqual(idle);
      const stopped = { at: "2026-12-07T09:00:00-05:00", code: "consent_group_unreadable", reason: "a 404" };
      await saveState(await applicationHostOf(client).store(), { ...ran, stopped });
      expect((await whyOfClient(client, idle)).summary).toMatch(
        /^Not dialing: the autopilot stopped this campaign/,
      );
    } finally {
      await client.close();
    }
  });
});
