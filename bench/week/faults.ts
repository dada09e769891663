import { DateTime } from "luxon";
import { admin } from "./cxone.ts";
import type { Scenario } from "./scenario.ts";

/**
 * The scenario's faults as steps of the week's timeline, the same in every week: each begins and
 * ends at its instants on the emulator's fault board. The board has one `DELETE` for every fault,
 * so a fault's end removes all and puts back the ones still on (two may overlap); a lost upload
 * is armed once and is not put back.
 */
export interface FaultCtx {
  emulatorUrl: string;
  zone: string;
  consentGroup: number;
  faults: Map<string, Record<string, unknown>>;
  events: Array<{ at: string; kind: string; detail: string; ok: boolean }>;
}

export type FaultStep = (ctx: FaultCtx, atMs: number) => Promise<void>;

export function faultBody(f: Scenario["faults"][number], consentGroup: number): Record<string, unknown> {
  switch (f.kind) {
    case "outage-503":
      return { group: "all", errorRate: 1, errorStatus: 503 };
    case "dnc-outage":
      return { group: "dnc", errorRate: 1, errorStatus: 503 };
    case "consent-group-unreadable":
      return { unreadableDncGroups: { groupIds: [consentGroup], status: 404 } };
    case "lost-upload":
      return { group: "lists", route: "POST /lists/call-lists/:listId/upload", truncateRate: 1, count: 1 };
    case "second-host":
      return {};
  }
}

const iso = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;

export async function beginFault(ctx: FaultCtx, atMs: number, key: string, body: Record<string, unknown>) {
  await admin(ctx.emulatorUrl, "POST", "/faults", body);
  ctx.faults.set(key, body);
  ctx.events.push({
    at: iso(atMs, ctx.zone),
    kind: `fault:${key} begins`,
    detail: JSON.stringify(body),
    ok: true,
  });
}

export async function endFault(ctx: FaultCtx, atMs: number, key: string) {
  ctx.faults.delete(key);
  await admin(ctx.emulatorUrl, "DELETE", "/faults");
  for (const body of ctx.faults.values()) await admin(ctx.emulatorUrl, "POST", "/faults", body);
  ctx.events.push({
    at: iso(atMs, ctx.zone),
    kind: `fault:${key} ends`,
    detail: ctx.faults.size ? `still on: ${[...ctx.faults.keys()].join(", ")}` : "faults removed",
    ok: true,
  });
}

/** The emulator's faults of the scenario (not the second host: each week runs its own). */
export function faultSteps(s: Scenario, add: (ms: number, step: FaultStep) => void): void {
  s.faults.forEach((f, i) => {
    if (f.kind === "second-host") return;
    if (f.kind === "lost-upload") {
      add(Date.parse(f.at), async (ctx, atMs) => {
        await admin(ctx.emulatorUrl, "POST", "/faults", faultBody(f, ctx.consentGroup));
        ctx.events.push({
          at: iso(atMs, ctx.zone),
          kind: "fault:lost-upload armed",
          detail: JSON.stringify(faultBody(f, ctx.consentGroup)),
          ok: true,
        });
      });
      return;
    }
    const key = `${f.kind}#${i}`;
    add(Date.parse(f.from), (ctx, atMs) => beginFault(ctx, atMs, key, faultBody(f, ctx.consentGroup)));
    add(Date.parse(f.to), (ctx, atMs) => endFault(ctx, atMs, key));
  });
}

/** The instants faults of the scenario began (for the delay of a stop or attention item after one). */
export function faultStarts(s: Scenario): Array<{ kind: string; fromMs: number }> {
  return s.faults.map((f) => ({
    kind: f.kind,
    fromMs: Date.parse(f.kind === "lost-upload" ? f.at : f.from),
  }));
}
