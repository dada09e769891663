// Tag every row of a CSV file of calls (callId, dispositionCodeId, reasonCodeId, tags, notes).
//   node tag-file.js CAMPAIGN_ID calls.csv
// The connection comes from the environment and ./cxo.config.yaml, the way the `cxo` CLI reads
// it: loadSettings() is the explicit opt-in (createClient itself reads nothing).
import { clientOptionsFromSettings, createClient, InputError, loadSettings } from "cxone-outbound";

const [campaignId, file] = process.argv.slice(2);
if (!campaignId || !file) throw new Error("usage: tag-file CAMPAIGN_ID FILE.csv");

const cxo = createClient(clientOptionsFromSettings(loadSettings()));
try {
  const summary = await cxo.dispositions.tagFile(file, { campaignId, concurrency: 16 });
  for (const problem of summary.problems)
    console.error(`row ${problem.row}, ${problem.field}: ${problem.rule}`);
  console.log(
    JSON.stringify({ total: summary.total, succeeded: summary.succeeded, invalid: summary.invalid }),
  );
  process.exitCode = summary.failed > 0 ? 1 : 0;
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
} finally {
  await cxo.close();
}
