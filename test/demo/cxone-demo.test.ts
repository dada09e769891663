import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { expect, it } from "vitest";
import { runDemo } from "../../src/demo/run-demo.ts";

/**
 * `cxo demo --platform cxone`: the same day on the emulator of NICE's production API. Every
 * step runs or says in one line why the platform cannot do it; no credential is printed.
 */
it("runs the day on the production API's emulator, skipping with one line what it cannot do", async () => {
  const out = new PassThrough();
  let text = "";
  out.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const outDir = path.join(mkdtempSync(path.join(tmpdir(), "cxo-demo-cxone-")), "demo");
  await runDemo({ fast: true, outDir, platform: "cxone", out });
  expect(text).toContain("an outbound day on NICE CXone's production API");
  for (let step = 1; step <= 9; step++) expect(text).toContain(`${step}/9`);
  const skips = text.split("\n").filter((line) => line.includes("skipped on this platform"));
  expect(skips).toHaveLength(1);
  expect(skips[0]).toMatch(/interactions\.replaceDispositions is not supported .* Instead: /);
  expect(text).toMatch(/applied: version sha256-\w+ → sha256-\w+/);
  expect(text).toMatch(/rollback to sha256-\w+: restored/);
  expect(text).toMatch(/\d+ calls tagged, 0 failed, 1 invalid rows not sent/);
  expect(text).toMatch(/audit chain intact/);
  // Step 6 forces the failover: live figures with their age and source, then the live rule.
  expect(text).toMatch(/live: \d+ agents logged in .* — \d+ s old, from GET \/skills\/activity/);
  expect(text).toMatch(/today: \d+ dials, .* from GET \/skills\/summary/);
  expect(text).toMatch(/failover inc_\w+: primary paused, backup activated .* rule agents-logged-out/);
  expect(text).not.toMatch(/failover itself is not forced|CXone has no live campaign metrics/);
  // CXone's disposition ids are categorised by their names: a real report, not all "unknown".
  expect(text).toMatch(/categories\s+success [1-9]\d*, warm [1-9]/);
  expect(text).not.toMatch(/conversion rate\s+0\.0%/);
  // Issue 55 §5 on this platform too: learned from the skill's outcomes as CXone gives them
  // (10-digit numbers, disposition ids), the next attempts of its calling list with the lift.
  expect(text).toMatch(
    /learned from [1-9]\d* attempts: [1-9]\d* state segments × 168 local hours, RPC rate [1-9]/,
  );
  expect(text).toMatch(
    /[1-9]\d* of \d+ contacts planned .*the model's RPC rate in the planned hours [\d.]+% per attempt\n.*expected lift (\d+\.\d\d× \(95% interval \d+\.\d\d–\d+\.\d\d\) over calling at any hour, measured on 14 held-out days the model did not learn from|: cannot be estimated yet \(.+\))/,
  );
  expect(text).not.toMatch(/accessKeySecret|====\+\//);
  // The summary lists only files the day wrote (it once listed a calls.csv this platform never writes).
  const listed = [...text.matchAll(new RegExp(`${outDir.replaceAll("/", "\\/")}\\/[^\\s),;│]+`, "g"))].map(
    (m) => m[0].replace(/[:.]+$/, ""),
  );
  expect(listed).toContain(path.join(outDir, "live-calls.csv"));
  for (const file of listed) expect(existsSync(file), file).toBe(true);
}, 120_000);
