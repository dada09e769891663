
import { createClient, isSdkError } from "cxone-outbound";

// node readme-example.js [CAMPAIGN_ID CALL_ID DISPOSITION_CODE]
const [campaignId, callId, code] = process.argv.slice(2);
const cxo = createClient({
  connection: {
    baseUrl: process.env.CXONE_BASE_URL ?? "http://127.0.0.1:8787",
    clientId: process.env.CXONE_CLIENT_ID ?? "",
    clientSecret: process.env.CXONE_CLIENT_SECRET ?? "",
  },
  dataDir: process.env.CXO_DATA_DIR ?? ".cxo", // journal, audit log, outbox: nothing lost on a crash
  http: { timeoutMs: 10_000, maxAttempts: 4 },
});
try {
  const token = await cxo.access.describe(); // what the credentials grant, and until when
  console.log(`connected as ${token.clientId}, token until ${token.expiresAt}`);

  // Local rules, no request: may this number be called now (TCPA + state rules, callee's time)?
  const verdict = await cxo.compliance.check({ phone: "+12125550123", state: "NY" });
  console.log(verdict.allowed ? "callable now" : `not now: ${verdict.reasons.map((r) => r.code).join(", ")}`);

  // Staffing: Erlang C for 12 agents, 5 calls a minute, 2-minute handling.
  const erlang = await cxo.dialer.erlang({ model: "c", agents: 12, arrivalPerMin: 5, ahtMin: 2, slSeconds: 20 });
  console.log(`P(wait) ${erlang.pWait?.toFixed(3)}, service level ${erlang.serviceLevel?.toFixed(3)}`);

  if (campaignId && callId && code) {
    // Checked against the campaign's codes first, journaled, sent once, audited.
    const tagged = await cxo.dispositions.tag(campaignId, { callId, dispositionCodeId: code });
    console.log(`tagged ${tagged.callId} in ${tagged.attempts} attempt(s)`);
  }
} catch (error) {
  if (!isSdkError(error)) throw error;
  // A stable code to switch on: "invalid_input" (never sent; error.problems names the field and
  // the rule), "not_found" (an unknown call), "conflict" (a locked disposition), …
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await cxo.close();
}
