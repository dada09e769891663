import { describe, expect, it } from "vitest";
import { calledOfInteraction } from "../../src/consent/interaction-phone.ts";
import type { CxonePort } from "../../src/platform/port.ts";
import type { Contact, Interaction } from "../../src/platform/types.ts";

/**
 * The number and time of an interaction come from the platform's modelled fields only (the
 * adapters fill them): CXone's names left in `raw` are not read above the port.
 */
const contacts = (found: Partial<Contact>[]) => {
  const asked: string[] = [];
  const port = {
    campaigns: {
      get: async (id: string) => {
        asked.push(`get ${id}`);
        return { id, contactListId: "L1" };
      },
      listContacts: (listId: string, query: { filter?: string }) => {
        asked.push(`list ${listId} ${query.filter}`);
        return (async function* () {
          yield* found;
        })();
      },
    },
  } as unknown as Pick<CxonePort, "campaigns">;
  return { port, asked };
};
const interaction = (fields: Partial<Interaction>): Interaction => ({
  id: "i1",
  dispositions: [],
  lastModifiedTime: undefined,
  raw: {},
  ...fields,
});

describe("calledOfInteraction", () => {
  it("the number the platform says it dialled, its start and its campaign, with nothing read from raw", async () => {
    const { port, asked } = contacts([]);
    const called = await calledOfInteraction(
      port,
      interaction({ calledNumber: "2125550123", startedAt: "2026-03-02T15:00:00Z", campaignId: "77" }),
    );
    expect(called).toEqual({ phone: "+12125550123", at: "2026-03-02T15:00:00Z", campaignId: "77" });
    expect(asked).toEqual([]);
  });

  it("CXone's wire names in raw are not read: no number, no time, no campaign", async () => {
    const { port, asked } = contacts([]);
    const raw = {
      toAddress: "2125550123",
      contactStartDate: "2026-03-02T15:00:00Z",
      skillId: "77",
      contactId: "9",
    };
    expect(await calledOfInteraction(port, interaction({ raw }))).toEqual({
      phone: undefined,
      at: undefined,
      campaignId: undefined,
    });
    expect(asked).toEqual([]);
  });

  it("else the contact it names, read from the campaign's list", async () => {
    const { port, asked } = contacts([{ phone: "+12125550199" }]);
    const called = await calledOfInteraction(port, interaction({ campaignId: "C1", contactId: "c-9" }));
    expect(called).toEqual({ phone: "+12125550199", at: undefined, campaignId: "C1" });
    expect(asked).toEqual(["get C1", "list L1 id==c-9"]);
    // A contact id that would change the filter is not sent.
    const odd = contacts([{ phone: "+12125550199" }]);
    expect(
      (await calledOfInteraction(odd.port, interaction({ campaignId: "C1", contactId: "a;b" }))).phone,
    ).toBe(undefined);
    expect(odd.asked).toEqual([]);
  });
});
