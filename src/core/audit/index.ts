export { AuditLog, appendAuditRecords } from "./audit-log.ts";
export { canonicalJson } from "./canonical-json.ts";
export type { AuditEntry, AuditRecord } from "./record.ts";
export { type AuditVerification, verifyAuditChain } from "./verify.ts";
