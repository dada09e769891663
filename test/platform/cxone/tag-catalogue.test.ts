import { describe, expect, it } from "vitest";
import type { ApiRequest, ProductionApi } from "../../../src/platform/cxone/api.ts";
import { TAG_CATALOGUE_TTL_MS, TagCatalogue } from "../../../src/platform/cxone/tags.ts";

/** The tag catalogue (name → id) is a bounded cache: read once, kept TAG_CATALOGUE_TTL_MS on the client's clock. */
describe("TagCatalogue", () => {
  it("one read for many rows; read again after its lifetime, and at once on a name it does not hold", async () => {
    let now = 0;
    const reads: ApiRequest[] = [];
    let tags = [{ tagId: 1, tagName: "VIP", isActive: true }];
    const api = {
      now: () => now,
      async request(options: ApiRequest) {
        reads.push(options);
        return { status: 200, body: { totalRecords: tags.length, tags } };
      },
    } as unknown as ProductionApi;
    const catalogue = new TagCatalogue(api, false);
    expect(await catalogue.idsOf(["vip"])).toEqual(["1"]);
    expect(await catalogue.idsOf(["VIP"])).toEqual(["1"]);
    expect(reads).toHaveLength(1);
    // Renamed elsewhere: the cached name still answers until the lifetime ends…
    tags = [{ tagId: 2, tagName: "VIP", isActive: true }];
    now += TAG_CATALOGUE_TTL_MS - 1;
    expect(await catalogue.idsOf(["VIP"])).toEqual(["1"]);
    // …then it is read again.
    now += 1;
    expect(await catalogue.idsOf(["VIP"])).toEqual(["2"]);
    expect(reads).toHaveLength(2);
    // A name it does not hold is looked up at once (created elsewhere since?).
    tags = [...tags, { tagId: 3, tagName: "new", isActive: true }];
    expect(await catalogue.idsOf(["new"])).toEqual(["3"]);
    expect(reads).toHaveLength(3);
  });
});
