import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 102 §4 through `cxo`: an import's messages written as the probe wrote them — fullwidth,
 * split by a zero-width space, spread letters, "cease and desist", "no llamar" — are recorded and
 * their numbers refused; a wrong number and a change of channel go to review, never `other`.
 */
describe("consent import of messages in every form", () => {
  it("records the revocations, reviews the unclear, counts them in --json, and refuses the numbers", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "cxo-message-forms-"));
    const texts = [
      "ＳＴＯＰ",
      "st\u200bop",
      "S T O P",
      "cease and desist",
      "no llamar",
      "wrong number?",
      "Please email me instead",
      "thanks",
    ];
    const phone = (i: number) => `+1212555${String(7100 + i)}`;
    writeFileSync(
      path.join(cwd, "inbound.csv"),
      `phone,at,channel,message\n${texts.map((t, i) => `${phone(i)},2026-11-27T10:00:00Z,sms,"${t}"`).join("\n")}\n`,
    );
    const env = { CXO_DATA_DIR: path.join(cwd, ".cxo"), CXO_CLOCK: "2026-11-27T15:00:00Z" };
    const imported = await runCli(["--json", "consent", "import", "--file", "inbound.csv"], env, { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).messages).toEqual({ recorded: 5, review: 2, other: 1 });
    for (const i of [0, 1, 2, 3, 4]) {
      const check = await runCli(
        ["--json", "compliance", "check", "--phone", phone(i), "--consent", "yes"],
        env,
        { cwd },
      );
      expect(
        JSON.parse(check.stdout).reasons.map((r: { code: string }) => r.code),
        texts[i],
      ).toContain("consent_revoked");
    }
    const review = await runCli(["--json", "consent", "review"], env, { cwd });
    const bases = (JSON.parse(review.stdout) as { messages: Array<{ basis: string }> }).messages
      .map((i) => i.basis)
      .sort();
    expect(bases).toEqual(["channel", "wrong-number"]);
  }, 60_000);
});
