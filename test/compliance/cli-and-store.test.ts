import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCheckFlags } from "../../src/cli/compliance-flags.ts";
import { attemptsInWindow, recordAttempt } from "../../src/compliance/index.ts";
import { InputError } from "../../src/core/input-error.ts";
import { zonedInstantProblem } from "../../src/core/instant-input.ts";
import { openStore } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";

/** `cxo compliance check` and `dnc` end to end (child process), with the store's attempt history. */
const tempDir = () => mkdtempSync(path.join(tmpdir(), "cxo-compliance-"));
const check = (dataDir: string, args: string[]) =>
  runCli(["--json", "compliance", "check", ...args], { CXO_DATA_DIR: dataDir });

describe("cxo compliance check", () => {
  it("prints the contract document; a refused call is still exit 0", async () => {
    const dir = tempDir();
    const result = await check(dir, [
      "--phone",
      "+18015550200",
      "--at",
      "2026-03-08T11:00:00-07:00",
      "--consent",
      "yes",
    ]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      allowed: false,
      zones: ["America/Denver"],
      states: ["UT"],
      nextAllowedAt: "2026-03-09T08:00:00-06:00",
    });
    expect(doc.reasons[0]).toMatchObject({
      code: "no_calls_on_this_day",
      jurisdiction: "US-UT",
      citation: "Utah Code 13-25a-103",
    });
  });

  it("without --consent the consent is missing: not allowed, nextAllowedAt null", async () => {
    const result = await check(tempDir(), ["--phone", "+12125550200", "--at", "2026-03-10T12:00:00Z"]);
    const doc = JSON.parse(result.stdout);
    expect(doc.allowed).toBe(false);
    expect(doc.reasons.map((r: { code: string }) => r.code)).toEqual(["no_consent"]);
    expect(doc.nextAllowedAt).toBeNull();
  });

  it.each([
    [{ phone: "2125550200" }, "--phone"],
    // A UK number is judged by the UK's rules; other countries are still refused.
    [{ phone: "+33612345678" }, "--phone"],
    [{ phone: "+12125550200", at: "2026-03-10T12:00:00" }, "--at"],
    [{ phone: "+12125550200", at: "yesterday" }, "--at"],
    [{ phone: "+12125550200", zone: "Mars/Olympus" }, "--zone"],
    [{ phone: "+12125550200", zone: "EST" }, "--zone"],
    [{ phone: "+12125550200", state: "XX" }, "--state"],
    [{ phone: "+12125550200", consent: "maybe" }, "--consent"],
    [{ phone: "+12125550200", campaignCaps: "day=0" }, "--campaign-caps"],
    [{ phone: "+12125550200", campaignCaps: "month=3" }, "--campaign-caps"],
    [{}, "--phone"],
  ])("bad input %j is an InputError naming %s", (flags, field) => {
    expect(() => parseCheckFlags(flags)).toThrow(InputError);
    try {
      parseCheckFlags(flags);
    } catch (error) {
      expect((error as InputError).problems.map((p) => p.field)).toEqual([field]);
    }
  });

  it("bad input on the command line: exit 2, every bad flag named, nothing on stdout", async () => {
    const result = await check(tempDir(), [
      "--phone",
      "+4420",
      "--at",
      "2026-03-10T12:00:00",
      "--state",
      "XX",
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    for (const field of ["--phone:", "--at:", "--state:"]) expect(result.stderr).toContain(field);
  });

  it("counts the state cap from the store's attempt history (Florida: 3 per 24 h)", async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    try {
      for (const at of [
        "2026-03-10T09:00:00-04:00",
        "2026-03-10T11:00:00-04:00",
        "2026-03-10T13:00:00-04:00",
      ])
        await recordAttempt(store, {
          phone: "+13055550200",
          campaignId: "c1",
          contactId: "ct-1",
          at,
          outcome: "NO_ANSWER",
        });
      await recordAttempt(store, {
        phone: "+13055550299",
        campaignId: "c1",
        at: "2026-03-10T13:00:00-04:00",
      });
      const window = await attemptsInWindow(
        store,
        "+13055550200",
        Date.parse("2026-03-10T00:00:00Z"),
        Date.parse("2026-03-10T23:00:00Z"),
      );
      expect(window.map((a) => new Date(a.atMs).toISOString())).toEqual([
        "2026-03-10T13:00:00.000Z",
        "2026-03-10T15:00:00.000Z",
        "2026-03-10T17:00:00.000Z",
      ]);
    } finally {
      await store.close();
    }
    const doc = JSON.parse(
      (await check(dir, ["--phone", "+13055550200", "--at", "2026-03-10T14:00:00-04:00", "--consent", "yes"]))
        .stdout,
    );
    expect(doc.reasons.map((r: { ruleId: string }) => r.ruleId)).toEqual(["fl-cap"]);
    expect(doc.nextAllowedAt).toBe("2026-03-11T09:00:00-04:00");
    const other = JSON.parse(
      (await check(dir, ["--phone", "+13055550299", "--at", "2026-03-10T14:00:00-04:00", "--consent", "yes"]))
        .stdout,
    );
    expect(other.allowed).toBe(true);
  });

  it("an attempt's time keeps the one rule for a date-time with a zone: the rest are refused naming at, nothing recorded", async () => {
    const store = await openStore(tempDir());
    try {
      const phone = "+13055550200";
      // Date.parse read 2026-02-30 as 2 March and a time without a zone in the machine's zone.
      for (const at of ["2026-02-30T09:00Z", "2026-03-10T09:00:00", "tomorrow"])
        await expect(recordAttempt(store, { phone, campaignId: "c1", at }), at).rejects.toMatchObject({
          name: "InputError",
          problems: [{ field: "at", rule: zonedInstantProblem(at) }],
        });
      await recordAttempt(store, { phone, campaignId: "c1", at: "2026-03-10T09:00-04" });
      await recordAttempt(store, { phone, campaignId: "c1", at: new Date("2026-03-10T14:00:00Z") });
      await recordAttempt(store, { phone, campaignId: "c1", at: Date.parse("2026-03-10T15:00:00Z") });
      const window = await attemptsInWindow(store, phone, 0, Date.parse("2026-12-31T00:00:00Z"));
      expect(window.map((a) => new Date(a.atMs).toISOString())).toEqual([
        "2026-03-10T13:00:00.000Z",
        "2026-03-10T14:00:00.000Z",
        "2026-03-10T15:00:00.000Z",
      ]);
    } finally {
      await store.close();
    }
  });
});

describe("internal DNC", () => {
  it("add → check refuses with internal_dnc → remove → allowed; both changes audited", async () => {
    const dir = tempDir();
    const env = { CXO_DATA_DIR: dir };
    const args = ["--phone", "+12125550200", "--at", "2026-03-10T12:00:00Z", "--consent", "yes"];
    const added = await runCli(
      ["--json", "compliance", "dnc", "add", "+12125550200", "--reason", "asked on call"],
      env,
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).added).toEqual(["+12125550200"]);
    const refused = JSON.parse((await check(dir, args)).stdout);
    expect(refused).toMatchObject({ allowed: false, nextAllowedAt: null });
    expect(refused.reasons.map((r: { code: string }) => r.code)).toEqual(["internal_dnc"]);
    const listed = JSON.parse((await runCli(["--json", "compliance", "dnc", "list"], env)).stdout);
    expect(listed.numbers).toMatchObject([{ phone: "+12125550200", reason: "asked on call" }]);
    expect(
      JSON.parse((await runCli(["--json", "compliance", "dnc", "remove", "+12125550200"], env)).stdout)
        .removed,
    ).toEqual(["+12125550200"]);
    expect(JSON.parse((await check(dir, args)).stdout).allowed).toBe(true);
    const store = await openStore(dir);
    try {
      const records = await store.audit.tail(10);
      expect(records.map((r) => [r.operation, r.target])).toEqual([
        ["compliance.dnc.add", "+12125550200"],
        ["compliance.dnc.remove", "+12125550200"],
      ]);
      expect((await store.audit.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("a --dnc file is honoured; a malformed line is exit 2 naming its line", async () => {
    const dir = tempDir();
    const good = path.join(dir, "dnc.txt");
    writeFileSync(good, "# do not call\n+12125550200  # asked 2026-03-01\n\n+13055550200\n");
    const doc = JSON.parse(
      (
        await check(dir, [
          "--phone",
          "+12125550200",
          "--at",
          "2026-03-10T12:00:00Z",
          "--consent",
          "yes",
          "--dnc",
          good,
        ])
      ).stdout,
    );
    expect(doc.reasons.map((r: { code: string }) => r.code)).toEqual(["internal_dnc"]);
    const bad = path.join(dir, "bad.txt");
    writeFileSync(bad, "+12125550200\n212-555-0100\n");
    const result = await check(dir, ["--phone", "+12125550200", "--consent", "yes", "--dnc", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("row 2, --dnc");
  });

  it("dnc add with a bad number adds nothing (exit 2)", async () => {
    const dir = tempDir();
    const result = await runCli(["compliance", "dnc", "add", "+12125550200", "not-a-number"], {
      CXO_DATA_DIR: dir,
    });
    expect(result.code).toBe(2);
    const listed = JSON.parse(
      (await runCli(["--json", "compliance", "dnc", "list"], { CXO_DATA_DIR: dir })).stdout,
    );
    expect(listed.count).toBe(0);
  });
});
