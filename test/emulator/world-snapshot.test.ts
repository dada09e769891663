// Both emulators' seeded worlds are a pure function of the seed (and, for the seed API, the
// epoch): the same inputs must give the very same world, byte for byte, whatever the code that
// builds it looks like. The digests below were taken from the builders before they were split
// into named steps (issue 52 §4); a change here means the seeded data changed, which breaks
// every user's `--seed` fixtures.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildWorld as buildCxoneWorld } from "../../src/emulator/cxone/data/world.ts";
import { buildWorld as buildSeedWorld } from "../../src/emulator/data/world.ts";

function digest(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? [...v.entries()] : v));
  return createHash("sha256").update(json).digest("hex");
}

const EPOCH = Date.parse("2026-03-02T15:00:00.000Z");

describe("seeded emulator worlds", () => {
  it("the seed API's world for seeds 42 and 7 is unchanged", () => {
    expect(digest(buildSeedWorld(42, EPOCH))).toBe(
      "515ec5bf3334b981f3878d22989e8da2dcfa193d74d13433a1a50e78eb1c5dd0",
    );
    expect(digest(buildSeedWorld(7, EPOCH))).toBe(
      "44157b0e7e83917243594070cb399f6f555d2190299457fc33bd7bb58d0fd317",
    );
  });

  it("the production API's world for seeds 42 and 7 is unchanged", () => {
    // Issue 75 §2 changed the skills' parameter blocks on purpose (rebuilt from the generated
    // models' field lists, invented fields removed); every id, name and record stayed the same
    // (the world's digest without `parameters` is unchanged).
    expect(digest(buildCxoneWorld(42))).toBe(
      "a93535fa0056ff918015ed26edfbc1014c751210e96e118959f296f166c34bf8",
    );
    expect(digest(buildCxoneWorld(7))).toBe(
      "9b97c62615eef324953f72ceedf9d418e92c75f3206131f57f008f6f250a6a1e",
    );
  });

  it("a world is a function of its seed alone", () => {
    expect(digest(buildSeedWorld(42, EPOCH))).toBe(digest(buildSeedWorld(42, EPOCH)));
    expect(digest(buildSeedWorld(42, EPOCH))).not.toBe(digest(buildSeedWorld(43, EPOCH)));
    expect(digest(buildCxoneWorld(42))).not.toBe(digest(buildCxoneWorld(43)));
  });
});
