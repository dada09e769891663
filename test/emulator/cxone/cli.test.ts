import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { knobsFromFlags } from "../../../src/cli/commands/emulator-knobs.ts";
import { InputError } from "../../../src/core/input-error.ts";
import { DEFAULT_KNOBS } from "../../../src/emulator/cxone/knobs.ts";
import { runCli, spawnCli } from "../../support/run-cli.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { fetchAnswer } from "./helpers.ts";

describe("cxo emulator start --platform cxone", () => {
  it("starts the production-API emulator with its knobs; refuses the other emulator's flags (exit 2)", async () => {
    // The two refusals (nothing started) in warm `cxo` hosts, beside the one that serves.
    const seedFlag = runCli(["emulator", "start", "--platform", "cxone", "--rate-limit-scale", "5"]);
    const cxoneFlag = runCli(["emulator", "start", "--knob", "stringly=true"]);
    const good = spawnCli([
      "--json",
      "emulator",
      "start",
      "--platform",
      "cxone",
      "--port",
      "0",
      "--seed",
      "4",
      "--calls",
      "5000",
      "--knob",
      "closedContact=accept",
      "--knob",
      "topCap=500",
    ]);
    await waitUntil(() => good.out().trim().endsWith("}"), {
      what: "the emulator's JSON line",
      timeoutMs: 15_000,
      intervalMs: 25,
    });
    const { url, platform } = JSON.parse(good.out());
    expect(platform).toBe("cxone");
    const fixtures = (await fetchAnswer(`${url}/_emulator/fixtures`, {})).body;
    expect(fixtures).toMatchObject({ platform: "cxone", seed: 4, issuer: url, completed: { total: 5000 } });
    expect(fixtures.knobs).toMatchObject({
      closedContact: "accept",
      topCap: 500,
      wfmArrayKey: "outboundStats",
    });
    good.child.kill("SIGTERM");
    const [[code], seed, cxone] = await Promise.all([good.exit, seedFlag, cxoneFlag]);
    expect([code, seed.code, cxone.code]).toEqual([0, 2, 2]);
    expect(seed.stderr).toContain("--rate-limit-scale: applies to the seed emulator only");
    expect(cxone.stderr).toContain("--knob: applies to the cxone emulator only");
  });

  it("reads --knob values as JSON or text and names a bad one (an InputError: exit 2)", () => {
    expect(knobsFromFlags(["stringly=true", 'orderByKeys=["contactId"]', "closedContact=accept"])).toEqual({
      stringly: true,
      orderByKeys: ["contactId"],
      closedContact: "accept",
    });
    for (const [flag, field] of [
      ["closedContact=sometimes", "--knob closedContact"],
      ["topCap=0", "--knob topCap"],
      ["nope=1", "--knob"],
      ["stringly", "--knob"],
    ] as const) {
      let caught: unknown;
      try {
        knobsFromFlags([flag]);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).problems[0]?.field).toBe(field);
    }
  });
});

describe("docs/emulator-cxone.md", () => {
  it("documents every knob with its default", () => {
    const docs = readFileSync(new URL("../../../docs/emulator-cxone.md", import.meta.url), "utf8");
    for (const [name, value] of Object.entries(DEFAULT_KNOBS)) {
      const row = docs.split("\n").find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `knob ${name} has a row`).toBeDefined();
      const shown = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
      expect(row?.split("|")[2]?.replace(/\s/g, ""), `knob ${name}'s default`).toContain(shown);
    }
  });
});
