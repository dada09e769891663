import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { declaredVoice } from "../../src/compliance/declared-voice.ts";
import { InputError } from "../../src/core/input-error.ts";
import { createClient } from "../../src/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * The voice comes from what places the call: a skill's declared voice (`compliance.skills.ID`)
 * and its campaign spec's are the default of every check, plan, push and evidence record for it;
 * a check's `--voice` overrides it for a one-off question; two declarations that disagree, and a
 * voice outside the list, are refused (exit 2 naming the field, nothing recorded).
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-skill-voice-"));
const dataDir = path.join(dir, "data");
const config = path.join(dir, "cxo.config.yaml");
const cxo = (args: string[]) =>
  runCli(["--json", "--config", config, ...args], { CXO_DATA_DIR: dataDir }, { cwd: dir });
// A Los Angeles number at 11:00 on a Tuesday: every hour rule allows it.
const LA = ["--phone", "+12135551234", "--at", "2026-10-06T11:00:00-07:00", "--consent", "yes"];

describe("a skill's declared voice", () => {
  it("is a check's default for the skill; --voice overrides it for a one-off check", async () => {
    writeFileSync(config, "compliance:\n  skills:\n    '4120': { voice: ai }\n");
    const declared = await cxo(["compliance", "check", ...LA, "--campaign", "4120", "--kind", "sales"]);
    expect(declared.code, declared.stderr).toBe(0);
    const verdict = JSON.parse(declared.stdout);
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.map((r: { code: string }) => r.code)).toEqual([
      "artificial_voice_no_written_consent",
      "live_introduction_required",
      "ai_disclosure_required",
    ]);
    // Another skill: nothing declared, a live voice.
    const other = await cxo(["compliance", "check", ...LA, "--campaign", "4121", "--kind", "sales"]);
    expect(JSON.parse(other.stdout).allowed).toBe(true);
    const oneOff = await cxo([
      "compliance",
      "check",
      ...LA,
      "--campaign",
      "4120",
      "--kind",
      "sales",
      "--voice",
      "live",
    ]);
    expect(JSON.parse(oneOff.stdout).allowed).toBe(true);
    // The announcement declared with it: California's introduction is there; written consent still missing.
    writeFileSync(
      config,
      "compliance:\n  skills:\n    '4120': { voice: ai, announcement: live, discloses: ai }\n",
    );
    const announced = await cxo(["compliance", "check", ...LA, "--campaign", "4120", "--kind", "sales"]);
    expect(JSON.parse(announced.stdout).reasons.map((r: { code: string }) => r.code)).toEqual([
      "artificial_voice_no_written_consent",
    ]);
  });

  it("a voice outside the list: exit 2 naming the field, nothing recorded", async () => {
    writeFileSync(config, "compliance:\n  skills:\n    '4120': { voice: robot }\n");
    const bad = await cxo(["compliance", "check", ...LA, "--campaign", "4120"]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toContain("compliance.skills.4120.voice");
    expect(() =>
      createClient({
        connection: { baseUrl: "http://127.0.0.1:9", clientId: "x", clientSecret: "y" },
        dataDir: path.join(dir, "sdk"),
        // @ts-expect-error: a voice outside the list, as an untyped caller would give it
        compliance: { skills: { "4120": { voice: "robot" } } },
      }),
    ).toThrow(InputError);
  });

  it("a skill's voice and its spec's must agree", () => {
    expect(declaredVoice("4120", { voice: "ai" }, { "4120": { voice: "ai" } })).toEqual({ voice: "ai" });
    expect(declaredVoice("4120", undefined, { "4120": { voice: "prerecorded" } })).toEqual({
      voice: "prerecorded",
    });
    expect(declaredVoice("4120", { voice: "live" }, {})).toEqual({ voice: "live" });
    expect(() => declaredVoice("4120", { voice: "live" }, { "4120": { voice: "ai" } })).toThrow(
      /compliance\.skills\.4120\.voice: says ai, but the campaign spec says live/,
    );
  });

  it("an evidence record takes the skill's voice when the attempt names none", async () => {
    writeFileSync(config, "compliance:\n  skills:\n    '4120': { voice: prerecorded }\n");
    const outcomes = path.join(dir, "outcomes.ndjson");
    writeFileSync(
      outcomes,
      `${JSON.stringify({
        id: "v1",
        campaignId: "4120",
        startTime: "2026-10-06T18:00:00.000Z",
        endTime: null,
        durationSeconds: 30,
        dispositionCode: "NO_ANSWER",
        reasonCodeId: null,
        agentId: null,
        contactId: null,
        phoneNumber: "+13052221000",
        direction: "outbound",
        tags: [],
        notes: null,
        dispositionUpdatedAt: null,
        callerId: null,
        extra: null,
      })}\n`,
    );
    const out = path.join(dir, "evidence.ndjson");
    const made = await cxo(["compliance", "evidence", "--file", outcomes, "--out", out, "--consent", "yes"]);
    expect(made.code, made.stderr).toBe(1);
    const record = JSON.parse(readFileSync(out, "utf8").split("\n")[0] as string);
    expect(record.voice).toEqual({ voice: "prerecorded" });
    expect(record.reasons.map((r: { code: string }) => r.code)).toEqual([
      "artificial_voice_no_written_consent",
    ]);
    const verified = await cxo(["compliance", "evidence", "--verify", out]);
    expect(verified.code, verified.stdout).toBe(0);
  });
});
