import { readKvMap, type Store } from "../../core/store/index.ts";
import { localOperation } from "../../core/store/local-operation.ts";
import type { Incident } from "./state.ts";

/**
 * An operator's acknowledgement of a failover incident ("I have seen it, I am on it"): it changes
 * nothing on CXone and nothing the watchdog decides, so it is kept beside the watchdog's state
 * (key-value namespace `campaigns.incident-ack`, one entry per incident) rather than in it — the
 * watchdog rewrites its own state on every evaluation. Journaled and audited with who it was.
 */
export const ACK_NAMESPACE = "campaigns.incident-ack";

export interface Acknowledgement {
  by: string;
  at: string;
}

export function readAcknowledgements(store: Pick<Store, "kv">): Promise<Map<string, Acknowledgement>> {
  return readKvMap<Acknowledgement>(store.kv, ACK_NAMESPACE);
}

export function acknowledgeIncident(
  store: Pick<Store, "journal">,
  incident: Incident,
  ack: Acknowledgement,
  idempotencyKey: string,
): Promise<null> {
  return store.journal.run(
    localOperation<{ incident: Pick<Incident, "id" | "primary" | "backup" | "phase">; ack: Acknowledgement }>(
      "campaigns.failover.acknowledged",
      (p) => ({
        after: { incidentId: p.incident.id, phase: p.incident.phase, acknowledgedBy: p.ack.by },
        details: { primary: p.incident.primary, backup: p.incident.backup },
        checkpoints: [{ namespace: ACK_NAMESPACE, key: p.incident.id, value: p.ack }],
        events: [
          {
            type: "campaign.failover.acknowledged",
            destination: "campaigns",
            orderKey: p.incident.primary,
            data: { incidentId: p.incident.id, primaryCampaignId: p.incident.primary, ...p.ack },
          },
        ],
      }),
    ),
    {
      target: incident.primary,
      payload: {
        incident: {
          id: incident.id,
          primary: incident.primary,
          backup: incident.backup,
          phase: incident.phase,
        },
        ack,
      },
      idempotencyKey,
    },
  );
}
