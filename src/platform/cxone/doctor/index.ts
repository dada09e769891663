import { clockNowDate } from "../../../core/clock/now.ts";
import type { ProductionConnection } from "../../../core/config/connection.ts";
import type { ProductionApiSettings } from "../../../core/config/schema.ts";
import { TENANT_PROFILE_VERSION } from "../../../core/config/tenant-profile.ts";
import type { DoctorFact, DoctorFindings, DoctorPort, DoctorWrite } from "../../ports/doctor.ts";
import type { ProductionApi } from "../api.ts";
import { probeQueryNameCase, QUERY_NAME_CASE_FACT } from "./acceptance-probes.ts";
import { probeAgent } from "./agent-probes.ts";
import { agreesWith, assumedOf, FACTS, type FactSpec } from "./facts.ts";
import {
  BUSINESS_UNIT_FACTS,
  type Observation,
  probeAdminLists,
  probeBusinessUnit,
  probeCallLists,
  probeCompleted,
  probeDiscovery,
  probeDncShapes,
  probeRequestHandling,
  probeSkills,
  probeSummary,
  probeWfm,
  probeWhyFacts,
  type ReadContext,
  type TenantInfo,
} from "./read-probes.ts";
import { probeScratch, restoreScratch, scratchSnapshot } from "./scratch-probes.ts";
import {
  probeSkillDispositionsVersion,
  SKILL_DISPOSITIONS_VERSION_FACT,
} from "./skill-dispositions-probe.ts";
/**
 * `cxo doctor` on the production platform: the probes (read-only, then on the scratch skill, then
 * on the test agent's contact, as the params allow), each observation set against what the
 * adapter assumes now, and the tenant profile the observations make.
 */
export function productionDoctor(
  api: ProductionApi,
  connection: ProductionConnection,
  settings: ProductionApiSettings,
  profileFacts: Record<string, unknown>,
): DoctorPort {
  return {
    scratchSnapshot: (params, signal) => scratchSnapshot(api, params, signal),
    restoreScratch: (snapshot, signal) => restoreScratch(api, snapshot, signal),

    async run(params, scratch, signal): Promise<DoctorFindings> {
      const info: TenantInfo = { timeZone: undefined, refused: [], skillId: params.scratchSkillId };
      const ctx: ReadContext = { api, settings, signal, info };
      const claims = await api.session.claims(signal);
      const tenantId = await api.session.tenantId(signal);
      const apiEndpoint = await api.session.endpoint(signal);
      // Every configured way in: the client logs in with one; the other is tried once.
      const modes: Array<"access-key" | "application"> =
        connection.clientId && connection.clientSecret ? ["access-key", "application"] : ["access-key"];
      const logins = [];
      for (const mode of modes) {
        const status = mode === connection.login ? 200 : await api.session.tryLogin(mode, signal);
        logins.push({ mode, status, ok: status >= 200 && status < 300 });
      }
      const observations = await readProbes(ctx, info, signal);

      const writes: DoctorWrite[] = [];
      const skipped = new Map<string, string>();
      if (scratch) {
        const result = await scratch.journaled(() => probeScratch(api, scratch.snapshot, signal));
        observations.push(...(result.facts as Observation[]));
        writes.push(...result.writes);
      } else
        for (const f of FACTS)
          if (f.probe === "scratch")
            skipped.set(f.id, "a write probe: run with a scratch skill (--scratch-skill ID) to check it");
      if (params.agentProbe) {
        const result = await probeAgent(api, params.agentProbe, signal);
        observations.push(...result.facts);
        writes.push(...result.writes);
      } else
        for (const f of FACTS)
          if (f.probe === "agent")
            skipped.set(f.id, "needs a test agent's live contact: run with --agent-probe to check it");

      const facts = FACTS.map((spec) =>
        factOf(spec, observations, settings, profileFacts, skipped.get(spec.id)),
      );
      return {
        tenant: {
          tenantId,
          apiEndpoint,
          role: claims.role,
          login: connection.login,
          timeZone: info.timeZone,
          refused: info.refused,
          logins,
          area: info.area,
          zoneNames: info.zoneNames ?? [],
          summaryBehindS: info.summaryBehindS ?? null,
        },
        facts,
        writes,
        profile: profileOf(facts, settings, profileFacts, {
          tenantId,
          apiEndpoint,
          login: connection.login,
          ...(claims.role ? { role: claims.role } : {}),
          ...(info.timeZone ? { timeZone: info.timeZone } : {}),
          ...(info.area ? { area: info.area } : {}),
          ...(info.refused.length > 0 ? { refused: info.refused } : {}),
          probedAt: clockNowDate().toISOString(),
        }),
      };
    },
  };
}

function factOf(
  spec: FactSpec,
  observations: Observation[],
  settings: ProductionApiSettings,
  profileFacts: Record<string, unknown>,
  skipped: string | undefined,
): DoctorFact {
  const seen = observations.find((o) => o.id === spec.id);
  const observed = seen?.observed ?? null;
  const assumed = assumedOf(spec, settings, profileFacts);
  const matches = agreesWith(spec, observed, assumed, settings);
  const setting =
    spec.setting && observed !== null
      ? { path: `cxone.productionApi.${spec.setting.key}`, value: spec.setting.follows(observed, settings) }
      : null;
  const note = seen?.note ?? skipped;
  const warning = observed !== null ? spec.warning?.(observed) : undefined;
  return {
    id: spec.id,
    title: spec.title,
    probe: spec.probe,
    assumed: assumed ?? null,
    observed,
    evidence: seen?.evidence ?? [],
    setting,
    matches,
    ...(matches ? {} : { fix: fixOf(spec, observed, setting) }),
    ...(note ? { note } : {}),
    ...(warning ? { warning } : {}),
  };
}

function fixOf(spec: FactSpec, observed: unknown, setting: DoctorFact["setting"]): string {
  const advice = spec.advice?.(observed);
  const record = "write the tenant profile (--profile FILE) and load it (CXONE_TENANT_PROFILE=FILE)";
  if (setting)
    return `${advice ? `${advice}; ` : ""}set ${setting.path}: ${JSON.stringify(setting.value)}, or ${record}`;
  return `${advice ? `${advice}; ` : "the adapter reads either; "}${record}, so later runs and the emulator (--profile FILE) expect it`;
}

/**
 * The tenant profile: every fact observed now, over those of the profile loaded (so a read-only
 * run keeps what an earlier scratch run found), and the settings they settle.
 */
function profileOf(
  facts: DoctorFact[],
  settings: ProductionApiSettings,
  loaded: Record<string, unknown>,
  tenant: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = { ...loaded };
  for (const fact of facts) if (fact.observed !== null) values[fact.id] = fact.observed;
  const productionApi: Record<string, unknown> = {};
  for (const spec of FACTS) {
    if (!spec.setting || !(spec.id in values)) continue;
    productionApi[spec.setting.key] = spec.setting.follows(values[spec.id], settings);
  }
  const ordered = Object.fromEntries(FACTS.filter((f) => f.id in values).map((f) => [f.id, values[f.id]]));
  return {
    profile: TENANT_PROFILE_VERSION,
    tenant,
    settings: { productionApi },
    facts: ordered,
  };
}

/** The read-only probes, each group on its own: one that fails leaves its facts untold, not the run failed. */
async function readProbes(
  ctx: ReadContext,
  info: TenantInfo,
  signal: AbortSignal | undefined,
): Promise<Observation[]> {
  const observations: Observation[] = [];
  const group = async (ids: string[], probe: () => Promise<Observation[]>) => {
    try {
      observations.push(...(await probe()));
    } catch (error) {
      if (signal?.aborted) throw error;
      const note = `the probe failed: ${(error as Error).message}`;
      for (const id of ids)
        if (!observations.some((o) => o.id === id))
          observations.push({ id, observed: null, evidence: [], note });
    }
  };
  await group(["advertisedClientAuth", "unknownTenant"], () => probeDiscovery(ctx));
  await group(BUSINESS_UNIT_FACTS, () => probeBusinessUnit(ctx, info));
  await group(["requireAccept", "acceptStatus", "errorBody"], () => probeRequestHandling(ctx));
  await group(
    [
      "orderByKeys",
      "warehouseLagS",
      "dateFilterField",
      "endDateInclusive",
      "unchangedStatus",
      "topCap",
      "topOverCap",
      "contactEnvelope",
    ],
    () => probeCompleted(ctx),
  );
  await group(["adminTopCap", "ignoreSkip"], () => probeAdminLists(ctx));
  const asText = observations.find((o) => o.id === "numbersAsStrings")?.observed === true;
  await group(["skillWrapped", "aggressivenessType", "zoneNameKey", "skillCallerIdField"], () =>
    probeSkills(ctx, info, asText),
  );
  await group(["listRecordKeys", "listRecordLayout"], () => probeCallLists(ctx));
  await group(["dncEnvelope", "dncRecordsKey"], () => probeDncShapes(ctx));
  await group([SKILL_DISPOSITIONS_VERSION_FACT.id], () => probeSkillDispositionsVersion(ctx, info));
  await group([QUERY_NAME_CASE_FACT.id], () => probeQueryNameCase(ctx));
  await group(["summaryStatus", "summaryCounts", "summaryAbandonRateUnit"], () => probeSummary(ctx, info));
  await group(["wfmArrayKey", "wfmIntervalMinutes"], () => probeWfm(ctx));
  await group(["listRecordExpiry", "attemptsFinalized", "scheduleTimeZone"], () => probeWhyFacts(ctx, info));
  return observations;
}
