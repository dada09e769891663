import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { loadSettings } from "../../src/core/config/load.ts";
import type { CxoneHttp } from "../../src/core/http/create.ts";
import { InputError } from "../../src/core/input-error.ts";
import type { Operation } from "../../src/core/store/index.ts";
import type { CxonePort } from "../../src/platform/port.ts";
import { ClientRuntime } from "../../src/sdk/runtime.ts";

/**
 * The store settings reach the store the SDK opens. Since the CLI runs every command through the
 * SDK, `store.groupCommitMs` in the config file was read and then dropped: every `cxo tag` ran
 * with the default window whatever the file said (and the tag-commit benchmark's "one commit
 * per step" baseline was not that).
 */
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-store-options-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const noop: Operation<{ n: number }, number> = {
  kind: "test.noop",
  effect: async (payload) => payload.n,
  finish: () => ({ outcome: "done", status: 200 }),
};

/** Runs 8 operations at once through the runtime's store; the group commits they made. */
async function groupedCommits(groupCommitMs: number | undefined) {
  const runtime = new ClientRuntime({
    port: {} as CxonePort,
    core: {} as CxoneHttp,
    dataDir: tempDir(),
    ...(groupCommitMs === undefined ? {} : { groupCommitMs }),
    actor: "test",
    destinations: {},
  });
  try {
    const store = await runtime.store();
    await Promise.all(
      Array.from({ length: 8 }, (_, n) => store.journal.run(noop, { target: `t${n}`, payload: { n } })),
    );
    expect(await store.journal.counts()).toEqual({ pending: 0, done: 8, failed: 0 });
    return store.journal.groupCommitStats();
  } finally {
    await runtime.close();
  }
}

describe("store settings through the SDK", () => {
  it("the config file's store.groupCommitMs is a client option", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "cxo.config.yaml"), "store:\n  groupCommitMs: 0\n");
    const settings = loadSettings({
      cwd: dir,
      env: { CXONE_BASE_URL: "http://127.0.0.1:9", CXONE_CLIENT_ID: "id", CXONE_CLIENT_SECRET: "secret" },
    });
    expect(clientOptionsFromSettings(settings).groupCommitMs).toBe(0);
  });

  it("the runtime opens its store with that window: 0 commits every step on its own", async () => {
    // Grouped: the 16 steps (pending, then done + audit) went through shared transactions.
    expect((await groupedCommits(undefined)).units).toBe(16);
    // Window 0: no group at all, each step its own transaction.
    expect(await groupedCommits(0)).toEqual({ groups: 0, units: 0 });
  });

  it("a window that is not an integer from 0 to 100 is an InputError naming groupCommitMs", () => {
    for (const groupCommitMs of [-1, 1.5, 101]) {
      let caught: unknown;
      try {
        createInternalClient({
          connection: { baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret" },
          dataDir: tempDir(),
          groupCommitMs,
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).problems[0]?.field).toBe("groupCommitMs");
    }
  });
});
