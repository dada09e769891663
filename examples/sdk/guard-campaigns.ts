// Guard a campaign pair: evaluate the primary's success rate once (from cron, say) and fail over
// to the backup after enough consecutive breaches; the state is kept in the data dir, so each
// run continues where the last one stopped.
//   node guard-campaigns.js PRIMARY_ID BACKUP_ID
import { createClient, type Evaluation } from "cxone-outbound";

const [primary, backup] = process.argv.slice(2);
if (!primary || !backup) throw new Error("usage: guard-campaigns PRIMARY_ID BACKUP_ID");
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
try {
  const watchdog = await cxo.campaigns.watch({
    primary,
    backup,
    threshold: 0.15,
    minSample: 10,
    breaches: 2,
    mode: "manual",
  });
  await watchdog.ready;
  const evaluation: Evaluation = await watchdog.evaluateNow();
  await watchdog.stop();
  console.log(
    JSON.stringify({ verdict: evaluation.verdict, action: evaluation.action, breaches: evaluation.breaches }),
  );
} finally {
  await cxo.close();
}
