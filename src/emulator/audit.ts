import { randomUUID } from "node:crypto";
import { clockNowDate } from "../core/clock/now.ts";
import type { AuditEntry } from "./data/model.ts";
import type { EmulatorState } from "./state.ts";
/** Appends a dialer audit entry (seed 003's `GET /api/v1/audit/logs`). */
export function addAudit(state: EmulatorState, entry: Omit<AuditEntry, "id" | "timestamp">): AuditEntry {
  const full: AuditEntry = { id: `aud-${randomUUID()}`, timestamp: clockNowDate().toISOString(), ...entry };
  state.audit.push(full);
  return full;
}
