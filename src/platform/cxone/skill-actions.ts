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

  const setActive = (skillId: string, isActive: boolean, signal?: AbortSignal) =>
    api.request({
      method: "PUT",
      path: pathOf`/skills/${skillId}`,
      endpoint: "PUT /skills/{skillId}",
      group: "campaigns",
      body: { skill: { isActive } },
      ...s(signal),
    });

  /** The skill's notes, whole (they carry the create's marker and the closed days: closed-days.ts). */
  const setNotes = (skillId: string, notes: string, signal?: AbortSignal) =>
    api.request({
      method: "PUT",
      path: pathOf`/skills/${skillId}`,
      endpoint: "PUT /skills/{skillId}",
      group: "campaigns",
      body: { skill: { notes } },
      // Writing the same notes twice leaves them as written.
      idempotencyKey: true,
      ...s(signal),
    });

  return { post, setActive, setNotes };
}
