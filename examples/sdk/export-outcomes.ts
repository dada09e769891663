// Export the last day of a campaign's call outcomes to NDJSON, with the conversion analysis and
// the compliance hash an auditor can re-check with `cxo outcomes verify FILE --hash H`.
//   node export-outcomes.js CAMPAIGN_ID out.ndjson
import { createClient, type OutcomeQuery } from "cxone-outbound";

const [campaignId, out] = process.argv.slice(2);
if (!campaignId || !out) throw new Error("usage: export-outcomes CAMPAIGN_ID OUT.ndjson");
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
};

const cxo = createClient({
  connection: {
    baseUrl: env("CXONE_BASE_URL"),
    clientId: env("CXONE_CLIENT_ID"),
    clientSecret: env("CXONE_CLIENT_SECRET"),
  },
  dataDir: process.env.CXO_DATA_DIR ?? ".cxo",
});
const to = new Date();
const query: OutcomeQuery = { campaignId, from: new Date(to.getTime() - 86_400_000), to };
try {
  const summary = await cxo.outcomes.export(query, { out, format: "ndjson" });
  console.log(
    JSON.stringify({
      totalRecords: summary.totalRecords,
      conversionRate: summary.conversionRate,
      complianceHash: summary.complianceHash,
    }),
  );
} finally {
  await cxo.close();
}
