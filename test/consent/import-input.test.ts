import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneClient, createClient, InputError } from "../../src/index.ts";

/**
 * Issue 78 §6, §7, §9: what `consent import` and `consent revoke` refuse before anything is
 * recorded — a FIFO (it would wait for a writer forever), a file that is not UTF-8 (a Latin-1
 * `José` stored as `Jos\uFFFD`), a revocation dated in the future (the number would stay
 * allowed until then). Each an InputError naming the field (and the row), nothing recorded.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-consent-input-"));
let client: CxoneClient;

beforeAll(() => {
  // No request is made: every refusal comes before the platform is asked anything.
  client = createClient({
    connection: { baseUrl: "http://127.0.0.1:9", clientId: "c", clientSecret: "s" },
    dataDir: path.join(dir, ".cxo"),
  });
});
afterAll(() => client.close());

const problemsOf = async (call: Promise<unknown>) => {
  const error = await call.catch((e) => e);
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems;
};

describe("consent input refusals", () => {
  it("a FIFO is refused before it is opened", async () => {
    const fifo = path.join(dir, "revocations.csv");
    execFileSync("mkfifo", [fifo]);
    const problems = await problemsOf(client.consent.import({ file: fifo }));
    expect(problems[0]).toMatchObject({ field: "file" });
    expect(problems[0]?.rule).toMatch(/FIFO|not a regular file|pipe/i);
  });

  it("a file that is not UTF-8 is refused naming its line; nothing recorded", async () => {
    const file = path.join(dir, "latin1.csv");
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from("phone,at,channel,source\n+13125557901,2026-11-20T14:05:00-05:00,sms,ok\n"),
        Buffer.from("+13125557902,2026-11-20T14:05:00-05:00,sms,Jos"),
        Buffer.from([0xe9]),
        Buffer.from("\n"),
      ]),
    );
    const problems = await problemsOf(client.consent.import({ file }));
    expect(problems[0]).toMatchObject({ field: "file" });
    expect(JSON.stringify(problems)).toMatch(/line 3|"row":3/);
    const report = await client.consent.report();
    expect(report.entries.map((e) => e.phone)).not.toContain("+13125557901");
  });

  it("a revocation dated in the future is refused, even a minute ahead", async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const problems = await problemsOf(client.consent.revoke({ phone: "+13125557903", at: soon }));
    expect(problems[0]).toMatchObject({ field: "at" });
    expect(problems[0]?.rule).toMatch(/future/);
    const file = path.join(dir, "future.csv");
    writeFileSync(file, `phone,at,channel\n+13125557904,${soon},sms\n`);
    const rows = await problemsOf(client.consent.import({ file }));
    expect(rows[0]).toMatchObject({ field: "at", row: 2 });
  });
});
