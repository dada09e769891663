import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Fixtures } from "../../src/emulator/index.ts";

/**
 * For the `cxo tag` benches: an emulator's admin client, a campaign, its calls and a code with
 * reasons, and rows files made of consecutive slices of those calls (NDJSON).
 */
export async function tagRows(emulatorUrl: string, calls: number, dir: string) {
  const fixtures = (await (
    await fetch(`${emulatorUrl}/_emulator/fixtures?calls=${calls}`)
  ).json()) as Fixtures;
  const admin = fixtures.clients[0];
  const campaign = fixtures.campaigns[0];
  if (!admin || !campaign) throw new Error("fixtures without client or campaign");
  const ids = fixtures.calls.filter((c) => c.campaignId === campaign.id).map((c) => c.id);
  const code = campaign.dispositionCodes.find((c) => c.reasonCodes.length > 0);
  if (!code) throw new Error("no code with reasons");
  return {
    admin,
    campaign,
    /** Rows for calls [from, from + count) of the campaign, in a new file. */
    file(from: number, count: number): string {
      if (ids.length < from + count) throw new Error(`only ${ids.length} calls`);
      const file = path.join(dir, `rows-${from}-${count}.ndjson`);
      const rows = ids.slice(from, from + count).map((callId, i) =>
        JSON.stringify({
          callId,
          dispositionCodeId: code.id,
          reasonCodeId: code.reasonCodes[i % code.reasonCodes.length]?.id,
          tags: "bench",
        }),
      );
      writeFileSync(file, rows.join("\n"));
      return file;
    },
  };
}
