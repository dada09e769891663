import { agentIdOf } from "../../core/call-agent.ts";
import { NotFoundError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { UnreadableAnswerError } from "../errors.ts";
import type { ScheduledCallback, ScheduledCallbacksPort } from "../ports/scheduled-callbacks.ts";
import { type Answer, listIn } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { e164Of, wirePhoneOf } from "./call-lists.ts";
import { allItems } from "./paging.ts";
import { bool, pick, type Raw, text } from "./tolerant.ts";

/**
 * Scheduled callbacks over CXone's routes, as two clients nobody here wrote use them
 * (docs/platforms.md): `POST scheduled-callbacks`, `GET skills/{id}/scheduled-callbacks`, `GET
 * agents/{id}/scheduled-callbacks`, `GET scheduled-callbacks/{id}`, `DELETE
 * scheduled-callbacks/{id}` (NICE's QA automation, walterplaza/protractor
 * `src/apis/admin/scheduled-callbacks-management/scheduled-callbacks-management-v12.ts`; a client
 * of a live tenant, CtrlAltWilson/Commitment-Automation-backend `src/rc.py`).
 *
 * A listing decides whether a revoked number is still going to be called, so it is read as the
 * compliance readers are (answer-shapes.ts): `callbacks` in `resultSet` or at the top, 204 empty,
 * anything else an UnreadableAnswerError naming the route — never "no callbacks". A callback
 * without an id or a number is unreadable too. `callbackTime` without an offset is UTC: the live
 * client turns it into Central time by taking 5 hours off it.
 */
const KEYS = ["callbacks", "scheduledCallbacks"];
const PHONE_CALL = 4;
const s = (signal?: AbortSignal) => (signal ? { signal } : {});

function callbackOf(raw: Raw, route: string): ScheduledCallback {
  const callbackId = text(pick(raw, "callbackId", "scheduledCallbackId", "id"));
  if (callbackId === undefined) throw new UnreadableAnswerError(route, "a callbackId on every callback");
  const number = text(pick(raw, "dialNumber", "phoneNumber", "formattedPhone"));
  if (number === undefined) throw new UnreadableAnswerError(route, "a dialNumber on every callback");
  return {
    callbackId,
    phone: e164Of(number),
    skillId: text(pick(raw, "skillId")),
    agentId: agentIdOf(pick(raw, "targetAgentId", "agentId")), // 0: for no agent in particular
    callbackAt: instantOf(text(pick(raw, "callbackTime", "scheduleDate", "scheduledTime"))),
    firstName: text(raw.firstName),
    lastName: text(raw.lastName),
    notes: text(raw.notes),
  };
}

function instantOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value.replace(" ", "T")}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const callbacksIn = (answer: Answer, route: string) =>
  listIn(answer, route, KEYS).items.map((raw) => callbackOf(raw, route));

export function productionScheduledCallbacks(api: ProductionApi): ScheduledCallbacksPort {
  const read = async (path: string, endpoint: string, signal?: AbortSignal) =>
    callbacksIn(
      await api.request({ method: "GET", path, endpoint, group: "campaigns", ...s(signal) }),
      endpoint,
    );
  const forSkill = (skillId: string, signal?: AbortSignal) =>
    read(pathOf`/skills/${skillId}/scheduled-callbacks`, "GET /skills/{skillId}/scheduled-callbacks", signal);
  return {
    forSkill,
    forAgent: (agentId, signal) =>
      read(
        pathOf`/agents/${agentId}/scheduled-callbacks`,
        "GET /agents/{agentId}/scheduled-callbacks",
        signal,
      ),

    async get(callbackId, signal) {
      const route = "GET /scheduled-callbacks/{callbackId}";
      try {
        const found = await read(pathOf`/scheduled-callbacks/${callbackId}`, route, signal);
        return found.find((c) => c.callbackId === callbackId) ?? found[0];
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },

    async pending(signal) {
      // Every outbound voice skill: an agent may reschedule a call on any of them, not only on
      // the skills cxo pushed lists to.
      const skills = (
        await allItems(api, {
          path: "/skills",
          endpoint: "GET /skills",
          group: "campaigns",
          key: "skills",
          query: { mediaTypeId: PHONE_CALL },
          signal,
        })
      )
        .filter((raw) => bool(raw.isOutbound) !== false)
        .flatMap((raw) => text(raw.skillId) ?? []);
      const callbacks: ScheduledCallback[] = [];
      for (const skillId of skills)
        for (const callback of await forSkill(skillId, signal)) callbacks.push({ ...callback, skillId });
      return { skills, callbacks };
    },

    async cancel(callbackId, reason, signal) {
      try {
        await api.request({
          method: "DELETE",
          path: pathOf`/scheduled-callbacks/${callbackId}`,
          endpoint: "DELETE /scheduled-callbacks/{callbackId}",
          group: "campaigns",
          // NICE's QA sends the reason as `description`.
          query: { description: reason.slice(0, 200) },
          // Deleting what is deleted leaves it deleted: a retry is safe (a 404 then is "gone").
          idempotencyKey: true,
          ...s(signal),
        });
        return "deleted";
      } catch (error) {
        if (error instanceof NotFoundError) return "gone";
        throw error;
      }
    },

    async create(callback, signal) {
      const route = "POST /scheduled-callbacks";
      // Agent 0 is CXone's "no agent": the callback goes to the skill.
      const targetAgent = agentIdOf(callback.agentId);
      const response = await api.request({
        method: "POST",
        path: "/scheduled-callbacks",
        endpoint: route,
        group: "campaigns",
        body: {
          phoneNumber: wirePhoneOf(callback.phone),
          skillId: Number(callback.skillId),
          scheduleDate: new Date(callback.at).toISOString(),
          ...(targetAgent ? { targetAgentId: Number(targetAgent) } : {}),
          ...(callback.firstName ? { firstName: callback.firstName } : {}),
          ...(callback.lastName ? { lastName: callback.lastName } : {}),
          ...(callback.notes ? { notes: callback.notes } : {}),
        },
        // Not retried blindly: a second POST would schedule a second call.
        ...s(signal),
      });
      const body = response.body as Raw | undefined;
      const callbackId = text(body && pick(body, "callbackId", "id"));
      if (callbackId === undefined) throw new UnreadableAnswerError(route, "the new callback's callbackId");
      return { callbackId };
    },
  };
}
