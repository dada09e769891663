import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { ENDPOINTS, type EndpointFact } from "./conformance/endpoints.ts";
import { responseProblems } from "./conformance/schemas.ts";

/**
 * The conformance table's second test: every answer of the production emulator the adapter
 * uses carries the response fields the public record names (the capability suite holds the
 * adapter's requests to the same table). Each entry is called once with ids from the fixtures.
 */
let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 21, contacts: 400 });
});
afterAll(() => h.close());

/** Entries whose answer needs state this test does not build, with where they are covered. */
const NOT_SAMPLED: Record<string, string> = {
  "GET /lists/call-lists/jobs/{jobId}": "needs an upload job (capability suite: campaign create)",
  "POST /lists/call-lists/{listId}/upload": "writes a list (capability suite: campaign create)",
  "POST /lists/call-lists": "creates a list (test/strategy/push.test.ts)",
  "GET /lists/call-lists/jobs": "needs an upload job (test/strategy/push.test.ts)",
  "POST /scheduled-callbacks": "schedules a call (test/emulator/cxone/scheduled-callbacks.test.ts)",
  "GET /skills/{skillId}/scheduled-callbacks":
    "needs a callback (test/emulator/cxone/scheduled-callbacks.test.ts)",
  "GET /agents/{agentId}/scheduled-callbacks":
    "needs a callback (test/emulator/cxone/scheduled-callbacks.test.ts)",
  "GET /scheduled-callbacks/{callbackId}":
    "needs a callback (test/emulator/cxone/scheduled-callbacks.test.ts)",
};

/** The values at a dotted path (`a[].b` fans out over an array). */
function valuesAt(value: unknown, path: string): { found: boolean; values: unknown[] } {
  let nodes: unknown[] = [value];
  for (const part of path.split(".")) {
    const array = part.endsWith("[]");
    const key = array ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const node of nodes) {
      if (node === null || typeof node !== "object" || !(key in (node as object)))
        return { found: false, values: [] };
      const inner = (node as Record<string, unknown>)[key];
      if (array) {
        if (!Array.isArray(inner) || inner.length === 0) return { found: false, values: [] };
        next.push(...inner);
      } else next.push(inner);
    }
    nodes = next;
  }
  return { found: true, values: nodes };
}

describe("production emulator answers carry the fields the conformance table names", () => {
  const sampled = ENDPOINTS.filter((e) => e.response.length > 0 && !NOT_SAMPLED[`${e.method} ${e.path}`]);

  it("the unsampled entries are only the listed ones", () => {
    const unsampled = ENDPOINTS.filter((e) => e.response.length > 0 && NOT_SAMPLED[`${e.method} ${e.path}`]);
    expect(unsampled.map((e) => `${e.method} ${e.path}`).sort()).toEqual(Object.keys(NOT_SAMPLED).sort());
  });

  it.each(sampled.map((e) => [`${e.method} ${e.path}`, e] as const))(
    "%s",
    async (_name, entry: EndpointFact) => {
      const f = h.fixtures;
      const skill = f.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!;
      const active = f.activeContacts.find((c) => c.skillId === skill.skillId) ?? f.activeContacts[0]!;
      const completed = f.completed.sample.find((c) => c.primaryDispositionId) ?? f.completed.sample[0]!;
      let path = entry.path
        .replace("{skillId}", String(skill.skillId))
        .replace("{listId}", String(skill.callingListIds[0]))
        .replace("{campaignId}", String(f.campaigns[0]!.id))
        .replace("{contactId}", String(completed.contactId))
        .replace("{groupId}", String(f.dncGroups[0]!.dncGroupId));
      const query: Record<string, string> = {};
      if (entry.path === "/contacts/completed") {
        Object.assign(query, {
          startDate: f.completed.windowStart,
          endDate: f.completed.windowEnd,
          top: "10",
        });
      }
      if (entry.path === "/contacts/active") query.skillId = String(active.skillId);
      if (entry.path === "/agent-sessions/join") query.asAgentId = String(f.agents[0]!.agentId);
      if (entry.path === "/tags" && entry.method === "POST") query.tagName = `conformance-${Date.now()}`;
      if (entry.path === "/lists/call-lists/{listId}") query.includeRecords = "true";
      if (entry.path === "/dnc-groups/search") query.phoneNumber = f.dncPhones[0]!;
      const body =
        entry.method === "POST" && entry.path === "/skills"
          ? {
              skills: [
                {
                  skillName: `conformance ${Date.now()}`,
                  mediaTypeId: 4,
                  isOutbound: true,
                  outboundStrategy: "Personal Connection",
                },
              ],
            }
          : undefined;
      const qs = new URLSearchParams(query).toString();
      path = `${path.slice(1)}${qs ? `?${qs}` : ""}`;
      const answer = await h.api(entry.method, path, {
        ...(entry.version ? { version: entry.version } : {}),
        ...(body ? { body } : {}),
      });
      expect(answer.status, `${entry.method} ${path}: ${answer.text.slice(0, 200)}`).toBeLessThan(300);
      const missing = entry.response.filter((field) => !valuesAt(answer.body, field).found);
      expect(missing, `${entry.method} ${entry.path} lacks`).toEqual([]);
      // And in the types the sources give them (ajv, the entry's response schema).
      expect(responseProblems(entry, answer.body), `${entry.method} ${entry.path}`).toEqual([]);
    },
  );
});
