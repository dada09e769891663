import type { DncRegistries } from "../compliance/registry/lookup.ts";
import { ukRegistryReasonsOf } from "../compliance/rules/registries.ts";
import type { CampaignKind } from "../compliance/touches.ts";
import { parseUk } from "../core/phone-number.ts";
import type { Store } from "../core/store/index.ts";
import type { TimedListRecord } from "../platform/ports/lists.ts";
import type { PlanColumns } from "./push-plan.ts";

/**
 * A UK record's TPS/CTPS listing, asked by the push's screen (push-blocked.ts) as the data dir
 * stands when the record is sent: a registration binds 28 days after it is made, so a number the
 * plan could call may be barred by the time of its call, and a copy imported since the plan
 * counts. Judged by the UK's registry rows (rules/registries.ts) at the end of the record's dial
 * window, with the consent it was planned with (the plan row's), else the ledger's grant. A
 * record blocked here is left out of the list and named (`blockedRecords`, its code
 * `tps_registered` / `ctps_registered`); the rest go. Undefined when the plan has no UK number.
 */
export async function ukScreenOf(
  store: Store,
  registries: DncRegistries,
  plan: PlanColumns,
  kind: CampaignKind | undefined,
): Promise<((record: TimedListRecord) => readonly string[]) | undefined> {
  const consentOf = new Map<string, boolean | undefined>();
  const phones: string[] = [];
  const accounts: string[] = [];
  for (let i = 0; i < plan.records; i++) {
    const phone = plan.phoneOf(i);
    if (parseUk(phone) === undefined) continue;
    phones.push(phone);
    accounts.push(...plan.accountsOf(i));
    consentOf.set(`${plan.idOf(i)}|${phone}`, plan.pushed(i).consent);
  }
  if (phones.length === 0) return undefined;
  const { grantLookup } = await import("../consent/grants.ts");
  const grants = await grantLookup(store, { phones, accounts });
  return (record) => {
    const number = parseUk(record.phone);
    if (number === undefined) return [];
    const findings = registries.findings(number);
    if (findings.length === 0) return [];
    const lastMs = Date.parse(record.callAt) + record.staleMinutes * 60_000;
    const consent =
      consentOf.get(`${record.externalId}|${record.phone}`) ??
      grants.factsOf(record.phone, record.debts?.[0], kind, lastMs)?.consent;
    return ukRegistryReasonsOf({ number, registries: findings, consent, kind }, lastMs).map((r) => r.code);
  };
}
