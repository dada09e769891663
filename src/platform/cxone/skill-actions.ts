import { pathOf } from "../../core/http/http-client.ts";
import type { ProductionApi } from "./api.ts";

/**
 * A skill's state changes, as both the create workflow (start once complete) and the status
 * changes (pause, resume, stop) send them.
 */
export function skillActions(api: ProductionApi) {
  const s = (signal?: AbortSignal) => (signal ? { signal } : {});
  const post = (
    skillId: string,
    action: "start" | "stop",
    query?: Record<string, string | boolean>,
    signal?: AbortSignal,
  ) =>
    api.request({
      method: "POST",
      path: pathOf`/skills/${skillId}/${action}`,
      endpoint: `POST /skills/{skillId}/${action}`,
      group: "campaigns",
      ...(query ? { query } : {}),
      // Starting a running skill or stopping a stopped one changes nothing: safe to retry.
      idempotencyKey: true,
      ...s(signal),
    });

  /** `PUT /skills/{skillId}` with these fields of the skill; `idempotent`: safe to send twice. */
  const put = (skillId: string, skill: Record<string, unknown>, idempotent: boolean, signal?: AbortSignal) =>
    api.request({
      method: "PUT",
      path: pathOf`/skills/${skillId}`,
      endpoint: "PUT /skills/{skillId}",
      group: "campaigns",
      body: { skill },
      ...(idempotent ? { idempotencyKey: true } : {}),
      ...s(signal),
    });

  const setActive = (skillId: string, isActive: boolean, signal?: AbortSignal) =>
    put(skillId, { isActive }, false, signal);

  /** The skill's notes, whole (they carry the create's marker and the closed days: closed-days.ts). */
  const setNotes = (skillId: string, notes: string, signal?: AbortSignal) =>
    // Writing the same notes twice leaves them as written.
    put(skillId, { notes }, true, signal);

  return { post, setActive, setNotes };
}
