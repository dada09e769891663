import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type InternalClient as CxoneClient,
  clientOptionsFromSettings,
  createInternalClient as createClient,
} from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { ConflictError } from "../../../src/core/http/errors.ts";
import { InputError } from "../../../src/core/input-error.ts";
import type { RunningCxoneEmulator } from "../../../src/emulator/index.ts";
import { canonicalRecord } from "../../../src/outcomes/record-format.ts";
import { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { inTurn, runCli } from "../../support/run-cli.ts";

/**
 * Issue 29, "Data safety" and "Robustness": what the production adapter must never do to a
 * real tenant's data, proved against the emulator's readings of facts that are not public.
 */
let h: CxoneHarness;
let skill: RunningCxoneEmulator["fixtures"]["skills"][number];
const clients: CxoneClient[] = [];

function client(
  extra: Record<string, string> = {},
  productionApi: Record<string, unknown> = {},
): CxoneClient {
  const f = h.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  const settings = loadSettings({
    cwd: "/nonexistent",
    env: {
      CXONE_PLATFORM: "cxone",
      CXONE_ISSUER: h.url,
      CXONE_CLIENT_ID: f.client.clientId,
      CXONE_CLIENT_SECRET: f.client.clientSecret,
      CXONE_ACCESS_KEY_ID: key.accessKeyId,
      CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      ...extra,
    },
  });
  Object.assign(settings.cxone.productionApi, productionApi);
  // The production groups' conservative limits (60 a minute) would make the file wait on its own
  // earlier tests (one create waited 58 s): limits are not what this file tests.
  Object.assign(settings.http, { backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 100 });
  const c = createClient(clientOptionsFromSettings(settings));
  clients.push(c);
  return c;
}

const knobs = (body: Record<string, unknown>) => adminCall(h.url, "POST", "/knobs", body);
/** The environment `cxo` runs with against the emulator. */
const cliEnv = (extra: Record<string, string> = {}) => {
  const key = h.fixtures.accessKeys.find((k) => !k.readOnly)!;
  return {
    CXONE_PLATFORM: "cxone",
    CXONE_ISSUER: h.url,
    CXONE_CLIENT_ID: h.fixtures.client.clientId,
    CXONE_CLIENT_SECRET: h.fixtures.client.clientSecret,
    CXONE_ACCESS_KEY_ID: key.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
    CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-safety-")),
    ...extra,
  };
};
const liveContact = () => h.fixtures.activeContacts.find((a) => a.skillId === skill.skillId)!;
/** The skill's parameter blocks as CXone holds them (read over plain HTTP). */
const parameters = async (skillId: number) => (await h.api("GET", `skills/${skillId}/parameters`)).body;

beforeAll(async () => {
  h = await cxoneHarness({ seed: 11, contacts: 2000 });
  skill = h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!;
});
beforeEach(() => adminCall(h.url, "POST", "/reset"));
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h.close();
});

describe("dialer settings: a parameter PUT that replaces the block loses nothing", () => {
  it("under parameterPut=replace (text numbers too), a change keeps every field it did not name", async () => {
    await knobs({ parameterPut: "replace", aggressivenessType: "string" });
    const before = await parameters(skill.skillId);
    const c = client();
    const scope = { campaignId: String(skill.skillId) };
    const read = await c.port.dialer.getSettings(scope);
    const wanted = structuredClone(read.settings);
    wanted.algorithm.dialRatio = 3;
    await c.port.dialer.putSettings(scope, wanted, read.versionTag);
    const after = await parameters(skill.skillId);
    expect(after.generalSettings).toEqual({ ...before.generalSettings, maximumRatio: 3 });
    expect(after.deliveryPreferences).toEqual(before.deliveryPreferences);
    expect(after.cpaSettings).toEqual(before.cpaSettings);
  });

  it("a write cut short by the caller's signal is undone under the undo's own signal, and says so", async () => {
    await knobs({ parameterPut: "replace" });
    const before = await parameters(skill.skillId);
    const c = client();
    const scope = { campaignId: String(skill.skillId) };
    const read = await c.port.dialer.getSettings(scope);
    const wanted = structuredClone(read.settings);
    wanted.algorithm.dialRatio = 3;
    const caller = new AbortController();
    // The caller gives up right after the first block was written.
    const off = c.core.http.on((event) => {
      if (event.type === "response" && event.method === "PUT") caller.abort(new Error("caller gave up"));
    });
    const error = await c.port.dialer.putSettings(scope, wanted, read.versionTag, caller.signal).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    off();
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain("put back");
    expect(await parameters(skill.skillId)).toEqual(before);
  });
});

describe("dialer settings: built from the fullest read, in the PUT's types, read back from every block", () => {
  const EXAMPLE = path.resolve(import.meta.dirname, "../../../examples/dialer.yaml");
  /** What CXone holds: the combined read, and general settings' own (complete) read. */
  const held = async (skillId: number) => ({
    combined: await parameters(skillId),
    general: (await h.api("GET", `skills/${skillId}/parameters/general-settings`)).body,
  });

  it("under replace and strict PUT types, apply then rollback: every field, the DNC-holiday flags included, reads back as intended", async () => {
    await knobs({ parameterPut: "replace", parameterTypes: "strict" });
    const before = await held(skill.skillId);
    expect(before.general).toMatchObject({ deliverPrioritiesOnDNCHolidays: true, waitTimeFactor: 2 });
    const env = cliEnv();
    const file = path.join(env.CXO_DATA_DIR, "dialer.yaml");
    writeFileSync(file, readFileSync(EXAMPLE, "utf8").replace("dialRatio: 2.5", "dialRatio: 2.4"));
    const campaign = String(skill.skillId);
    const apply = await runCli(["--json", "dialer", "apply", "--config", file, "--campaign", campaign], env, {
      timeoutMs: 60_000,
    });
    expect(apply.code, apply.stderr).toBe(0);
    const applied = await held(skill.skillId);
    // Only what the change names differs; the flags the combined read lacks are kept.
    expect(applied.general).toEqual({ ...before.general, maximumRatio: 2.4 });
    expect(applied.combined.retrySettings).toEqual(before.combined.retrySettings);
    expect(applied.combined.cpaSettings).toEqual(before.combined.cpaSettings);
    expect(applied.combined.deliveryPreferences).toEqual(before.combined.deliveryPreferences);
    const rollback = await runCli(["--json", "dialer", "rollback", "--campaign", campaign], env, {
      timeoutMs: 60_000,
    });
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await held(skill.skillId)).toEqual(before);
    // (The strict-types knob refuses a PUT in the GET's types: both commands passing proves the types.)
  }, 120_000);

  it("a tenant that keeps another value than the one written fails the change, names the field, and puts the blocks back", async () => {
    await knobs({ parameterPut: "replace" });
    const before = await held(skill.skillId);
    const c = client();
    const scope = { campaignId: String(skill.skillId) };
    const read = await c.port.dialer.getSettings(scope);
    const wanted = structuredClone(read.settings);
    wanted.algorithm.dialRatio = 3;
    // A supervisor (or the tenant) changes the ratio right after our PUT: the read-back sees it.
    const fault = await adminCall(h.url, "POST", "/faults", {
      concurrentEdit: { skillId: skill.skillId, afterReads: 3, generalSettings: { maximumRatio: 2 } },
    });
    expect(fault.concurrentEdit).toMatchObject({ afterReads: 3 });
    const error = await c.port.dialer.putSettings(scope, wanted, read.versionTag).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain("generalSettings.maximumRatio (sent 3, reads 2)");
    expect(error?.message).toContain("put back");
    expect(await held(skill.skillId)).toEqual(before);
  });
});

describe("tagging: CXone's refusals, each in one sentence with the fix", () => {
  const row = () => ({ dispositionCodeId: String(skill.dispositionIds[0]), tags: [] as string[] });
  const refusal = (c: CxoneClient, contactId: number) =>
    c.port.dispositions.setCallDisposition(String(contactId), row()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

  it("a tenant that requires set-disposition's contactId query gets it, equal to the path's id", async () => {
    await knobs({ setDispositionContactIdQuery: "required" });
    await adminCall(h.url, "DELETE", "/requests");
    const live = liveContact();
    expect(await refusal(client(), live.contactId)).toBeUndefined();
    const sent = (await adminCall(h.url, "GET", "/requests")).requests.filter((r: { path: string }) =>
      r.path.endsWith("/set-disposition"),
    );
    expect(sent).toEqual([
      expect.objectContaining({ status: 200, query: { contactId: String(live.contactId) } }),
    ]);
  });

  it("a stopped skill: SkillNotRunning, told as 'not running' with how to fix it", async () => {
    const live = liveContact();
    expect((await h.api("POST", `skills/${skill.skillId}/stop`)).status).toBeLessThan(300);
    const error = await refusal(client(), live.contactId);
    expect(error?.message).toMatch(/skill \d+ is not running.*start the skill/);
  });

  it("a skill not configured for disposition by script: told so, with the agent-session way out", async () => {
    await knobs({ noScriptDispositionSkills: [skill.skillId] });
    const error = await refusal(client(), liveContact().contactId);
    expect(error?.message).toMatch(/not configured for disposition by script.*agent-session/);
  });

  it("a contact that ends between the read and the write: 'ended', locked, never a bad code", async () => {
    const live = liveContact();
    const original = ProductionApi.prototype.request;
    const spy = vi.spyOn(ProductionApi.prototype, "request").mockImplementation(async function (
      this: ProductionApi,
      options,
    ) {
      if (options.endpoint === "POST /contacts/{contactId}/set-disposition")
        await adminCall(h.url, "POST", `/contacts/${live.contactId}/end`);
      return original.call(this, options);
    });
    try {
      // The SDK's tag rejects with the typed error (one convention per method).
      await expect(
        client().dispositions.tag(String(skill.skillId), { callId: String(live.contactId), ...row() }),
      ).rejects.toThrow(/ended before its disposition could be set/);
    } finally {
      spy.mockRestore();
    }
  });

  it("tags on a live contact follow the agent SDK (taken); a tenant that refuses them gets a partial, reported and audited as partial", async () => {
    const live = liveContact();
    const catalogue = (await h.api("GET", "tags")).body.tags as Array<{ tagName: string; isActive: boolean }>;
    const tag = catalogue.find((t) => t.isActive)!.tagName;
    const code = String(skill.dispositionIds[0]);
    const args = [
      "tag",
      "--campaign",
      String(skill.skillId),
      "--call",
      String(live.contactId),
      "--disposition",
      code,
      "--tag",
      tag,
    ];
    const taken = await client().port.dispositions.setCallDisposition(String(live.contactId), {
      dispositionCodeId: code,
      tags: [tag],
    });
    expect(taken.notApplied).toBeUndefined();
    expect(taken.call.tags).toContain(tag);

    await adminCall(h.url, "POST", "/reset");
    await knobs({ liveContactTags: "reject" });
    const env = cliEnv();
    const result = await runCli(args, env, { timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `partly tagged: ${live.contactId} has disposition ${code}, but not the tags ${tag}`,
    );
    expect(result.stderr).not.toContain("locked");
    const audit = await runCli(["--json", "audit", "tail"], env, { timeoutMs: 60_000 });
    const records = JSON.parse(audit.stdout).records as Array<Record<string, unknown>>;
    expect(records.at(-1)).toMatchObject({
      operation: "dispositions.tag",
      outcome: "partial",
      after: { dispositionCodeId: code, tags: [] },
      details: { notApplied: { tags: [tag] } },
    });
  }, 120_000);
});

describe("robustness", () => {
  it("two concurrent taggings with one new tag name create one tag", async () => {
    const c = client({}, { createUnknownTags: true });
    const [a, b] = h.fixtures.activeContacts.filter((x) => x.skillId === skill.skillId);
    const code = String(skill.dispositionIds[0]);
    await Promise.all(
      [a!, b!].map((x) =>
        c.port.dispositions.setCallDisposition(String(x.contactId), {
          dispositionCodeId: code,
          tags: ["brand-new"],
        }),
      ),
    );
    const tags = (await h.api("GET", "tags")).body.tags as Array<{ tagName: string }>;
    expect(tags.filter((t) => t.tagName === "brand-new")).toHaveLength(1);
  });
});

describe("a tenant that ignores skip: a clear error, never a loop or the first page again", () => {
  it("the tag catalogue (GET /tags): read up to the repeated page; a tag not in it names the tenant fact", async () => {
    await knobs({ ignoreSkip: true, adminTopCap: 3 });
    await adminCall(h.url, "DELETE", "/requests");
    const c = client();
    const error = await c.port.dispositions
      .setCallDisposition(String(liveContact().contactId), {
        dispositionCodeId: String(skill.dispositionIds[0]),
        tags: ["no-such-tag"],
      })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toContain('tag "no-such-tag" is not among the 3 tags CXone returned');
    expect(error?.message).toContain("ignoreSkip: true");
    const tagReads = (await adminCall(h.url, "GET", "/requests")).requests.filter(
      (r: { path: string; method: string }) => r.method === "GET" && r.path.endsWith("/tags"),
    );
    // Two reads of the list (the first page, then it again: stop), read once more on the miss.
    expect(tagReads).toHaveLength(4);
  });

  it("a window export of completed contacts", async () => {
    await knobs({ ignoreSkip: true });
    const query = {
      campaignId: String(skill.skillId),
      from: h.fixtures.completed.windowStart,
      to: new Date(Date.now() - 3_600_000).toISOString(),
      pageSize: 50,
    };
    await expect(client().port.outcomes.listCalls(query).toArray()).rejects.toThrow(
      /GET \/contacts\/completed: it returned a page it had already returned \(skip 50\)/,
    );
  });
});

describe("interaction correction (allowClosedContactDisposition)", () => {
  /** A completed contact of the skill that has a primary disposition. */
  const completed = async () => {
    const more = (await adminCall(
      h.url,
      "GET",
      "/fixtures?contacts=300",
    )) as RunningCxoneEmulator["fixtures"];
    const hit = more.completed.sample.find(
      (x) => x.skillId === skill.skillId && x.isOutbound && x.primaryDispositionId !== null,
    )!;
    return { id: String(hit.contactId), code: String(hit.primaryDispositionId) };
  };
  const entry = (code: string) => ({
    code,
    description: `code ${code}`,
    agentId: "1",
    timestamp: new Date().toISOString(),
    source: "api",
  });
  /** The codes set-disposition is sent with, from here on (the request log keeps no bodies). */
  const watchSent = () => {
    const codes: string[] = [];
    const spy = vi.spyOn(ProductionApi.prototype, "request");
    return {
      codes: () => {
        for (const [options] of spy.mock.calls)
          if (options.endpoint === "POST /contacts/{contactId}/set-disposition")
            codes.push(
              (options.body as { dispositionInfo: { dispositionCode: string } }).dispositionInfo
                .dispositionCode,
            );
        spy.mockRestore();
        return codes;
      },
    };
  };

  it("sends the entry that changed (not the old primary), and reads the contact back", async () => {
    await knobs({ closedContact: "accept" });
    const { id, code } = await completed();
    const other = skill.dispositionIds.map(String).find((d) => d !== code)!;
    const c = client({}, { allowClosedContactDisposition: true });
    const read = await c.port.interactions.get(id);
    const sent = watchSent();
    // The capability's merge: every entry kept, ours added at the end.
    const written = await c.port.interactions.replaceDispositions(
      id,
      [...read.interaction.dispositions, entry(other)],
      read.etag,
    );
    expect(sent.codes()).toEqual([other]);
    expect(written.interaction.dispositions[0]?.code).toBe(other);
  });

  it("more than one change in one write is refused before anything is sent", async () => {
    await knobs({ closedContact: "accept" });
    const { id, code } = await completed();
    const [a, b] = skill.dispositionIds.map(String).filter((d) => d !== code);
    const c = client({}, { allowClosedContactDisposition: true });
    const read = await c.port.interactions.get(id);
    const sent = watchSent();
    await expect(
      c.port.interactions.replaceDispositions(id, [entry(a!), entry(b!)], read.etag),
    ).rejects.toThrow(/one disposition per write.*nothing was sent/);
    expect(sent.codes()).toEqual([]);
  });

  it("a tenant that answers 200 and changes nothing: a conflict, never 'updated'", async () => {
    await knobs({ closedContact: "ignore" });
    const { id, code } = await completed();
    const other = skill.dispositionIds.map(String).find((d) => d !== code)!;
    const c = client({}, { allowClosedContactDisposition: true });
    const read = await c.port.interactions.get(id);
    await expect(
      c.port.interactions.replaceDispositions(
        id,
        [...read.interaction.dispositions, entry(other)],
        read.etag,
      ),
    ).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof ConflictError && /reads disposition \d+, not \d+; not updated/.test(e.message),
    );
    expect((await c.port.interactions.get(id)).interaction.dispositions[0]?.code).toBe(code);
  });
});

describe("campaign create is resumable", () => {
  const definition = (listId: string, name: string) => ({
    name,
    contactListId: listId,
    dialer: {
      type: "predictive" as const,
      predictive: { answerRatio: 0.5, maxCallsInFlight: 5, callRate: 1, abandonmentThreshold: 0.03 },
    },
    compliance: {
      timeZone: "America/New_York",
      windowStart: "09:00",
      windowEnd: "20:00",
      // Every day: on a tenant that refuses an inactive schedule day (the emulator's default), a
      // spec closing days has its list bound by no create (refused-block-cxone.test.ts).
      allowedDays: [
        "Monday" as const,
        "Tuesday" as const,
        "Wednesday" as const,
        "Thursday" as const,
        "Friday" as const,
        "Saturday" as const,
        "Sunday" as const,
      ],
    },
  });
  /** A new list with its own column names, holding two records. */
  const newList = async (name: string) => {
    const created = await h.api("POST", `lists/call-lists?listName=${name}&externalIdColumn=Id`, {
      body: {
        destinationMappings: [
          { fieldName: "PhoneNumber", fieldValue: "Phone" },
          { fieldName: "FirstName", fieldValue: "First" },
        ],
      },
    });
    const listId = created.body.listId as number;
    const csv = "Id,Phone,First\nA1,6125550123,Ann\nA2,6125550124,Ben\n";
    const upload = await h.api("POST", `lists/call-lists/${listId}/upload`, {
      body: { listFile: Buffer.from(csv).toString("base64"), expirationDate: "2099-01-01T00:00:00Z" },
    });
    while (!(await h.api("GET", `lists/call-lists/jobs/${upload.body.jobId}`)).body.uploadJobs[0].isComplete);
    return String(listId);
  };
  const records = async (listId: string) =>
    (await h.api("GET", `lists/call-lists/${listId}?includeRecords=true`)).body.resultSet
      .contactRecords as Array<{
      phoneNumber: string;
    }>;
  /** Fails the list upload `times` times (as a dropped connection would), then lets it through. */
  const failUpload = (times: number) => {
    let left = times;
    const original = ProductionApi.prototype.request;
    const bodies: unknown[] = [];
    const spy = vi.spyOn(ProductionApi.prototype, "request").mockImplementation(async function (
      this: ProductionApi,
      options,
    ) {
      if (options.endpoint === "POST /lists/call-lists/{listId}/upload") {
        bodies.push(options.body);
        if (left-- > 0) throw new Error("connection reset during the upload");
      }
      return original.call(this, options);
    });
    return { bodies, restore: () => spy.mockRestore() };
  };

  it("POST /skills gives no id; an upload that failed once is finished by the second run, on the same skill", async () => {
    const listId = await newList("Resume");
    const c = client();
    const upload = failUpload(1);
    try {
      await expect(
        c.port.campaigns.create(definition(listId, "Resumed campaign"), "resume-key"),
      ).rejects.toThrow(/connection reset/);
      const skills = (await h.api("GET", "skills?top=100")).body.skills as Array<{
        skillId: number;
        skillName: string;
      }>;
      const half = skills.filter((x) => x.skillName === "Resumed campaign");
      expect(half).toHaveLength(1);
      expect((await parameters(half[0]!.skillId)).callingLists).toEqual([]);

      const second = await c.port.campaigns.create(definition(listId, "Resumed campaign"), "resume-key");
      expect(second).toMatchObject({
        replayed: true,
        campaign: { id: String(half[0]!.skillId), contactListId: listId },
      });
      const again = (await h.api("GET", "skills?top=100")).body.skills as Array<{ skillName: string }>;
      expect(again.filter((x) => x.skillName === "Resumed campaign")).toHaveLength(1);
      // The upload carries an expiration date, and its columns are the list's own (Id, Phone, First).
      const sent = upload.bodies.at(-1) as {
        listFile: string;
        expirationDate?: string;
        defaultTimeZone?: string;
      };
      expect(Date.parse(sent.expirationDate ?? "")).toBeGreaterThan(Date.now());
      // The zone in CXone's naming (GET /timezones), which the emulator insists on by default.
      expect(sent.defaultTimeZone).toBe("Eastern Standard Time");
      expect(Buffer.from(sent.listFile, "base64").toString("utf8").split("\r\n")[0]).toMatch(
        /^Id,Phone,First/,
      );
      expect((await records(listId)).every((r) => /^\d{10}$/.test(r.phoneNumber))).toBe(true);
    } finally {
      upload.restore();
    }
  });

  it("a list upload accepted with 202 (NICE's QA) or 200 binds the list either way", async () => {
    for (const status of [202, 200] as const) {
      await knobs({ listUploadStatus: status });
      const listId = await newList(`Accepted${status}`);
      const made = await client().port.campaigns.create(
        definition(listId, `Accepted ${status}`),
        `accepted-${status}`,
      );
      const log = (await adminCall(h.url, "GET", "/requests")) as {
        requests: Array<{ method: string; path: string; status: number }>;
      };
      expect(
        log.requests.filter((r) => r.method === "POST" && /\/upload$/.test(r.path)).map((r) => r.status),
      ).toContain(status);
      expect(made.campaign.contactListId).toBe(listId);
      expect((await parameters(Number(made.campaign.id))).callingLists).toEqual([
        expect.objectContaining({ id: Number(listId) }),
      ]);
    }
  });

  it("a zone CXone cannot name is refused, naming the field and the tenant's names, before anything is written", async () => {
    const listId = await newList("Tokyo");
    await adminCall(h.url, "DELETE", "/requests");
    const spec = definition(listId, "Tokyo campaign");
    spec.compliance.timeZone = "Asia/Tokyo";
    const error = await client()
      .port.campaigns.create(spec, "tokyo-key")
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/compliance\.timeZone.*Asia\/Tokyo.*Eastern Standard Time/);
    const writes = (await adminCall(h.url, "GET", "/requests")).requests.filter(
      (r: { method: string; path: string }) => r.method !== "GET" && r.path.includes("/inContactAPI/"),
    );
    expect(writes).toEqual([]);
  });

  it("a half-built campaign whose skill was started meanwhile: the list upload (which would dial at once) is refused", async () => {
    const listId = await newList("Running");
    const c = client();
    const upload = failUpload(1);
    try {
      await expect(
        c.port.campaigns.create(definition(listId, "Running campaign"), "running-key"),
      ).rejects.toThrow();
      const skills = (await h.api("GET", "skills?top=100")).body.skills as Array<{
        skillId: number;
        skillName: string;
      }>;
      const id = skills.find((x) => x.skillName === "Running campaign")!.skillId;
      expect((await h.api("POST", `skills/${id}/start`)).status).toBeLessThan(300);
      const uploads = upload.bodies.length;
      await expect(
        c.port.campaigns.create(definition(listId, "Running campaign"), "running-key"),
      ).rejects.toThrow(/is running: uploading list \d+ to it would start dialing at once/);
      expect(upload.bodies.length).toBe(uploads);
    } finally {
      upload.restore();
    }
  });

  it("...unless the spec says so (allowUploadWhileRunning): then the same skill gets its list", async () => {
    const listId = await newList("Running-allowed");
    const c = client();
    const upload = failUpload(1);
    try {
      await expect(
        c.port.campaigns.create(definition(listId, "Allowed campaign"), "allowed-key"),
      ).rejects.toThrow();
      const skills = (await h.api("GET", "skills?top=100")).body.skills as Array<{
        skillId: number;
        skillName: string;
      }>;
      const id = skills.find((x) => x.skillName === "Allowed campaign")!.skillId;
      expect((await h.api("POST", `skills/${id}/start`)).status).toBeLessThan(300);
      const uploads = upload.bodies.length;
      const finished = await c.port.campaigns.create(
        { ...definition(listId, "Allowed campaign"), allowUploadWhileRunning: true },
        "allowed-key",
      );
      expect(finished).toMatchObject({ replayed: true, campaign: { id: String(id), contactListId: listId } });
      expect(upload.bodies.length).toBe(uploads + 1);
      expect(
        (await parameters(id)).callingLists.map((l: { id?: unknown; listId?: unknown }) =>
          String(l.id ?? l.listId),
        ),
      ).toContain(listId);
    } finally {
      upload.restore();
    }
  });
});

describe("what the user is told is what CXone did", () => {
  const inbound = () => h.fixtures.skills.find((x) => !x.isOutbound)!;

  it("an unknown campaign exits 2 naming it everywhere; an inbound skill is not a campaign; a malformed id is refused with nothing sent; local policy checks are not CXone's verdict", async () => {
    const env = cliEnv();
    const hour = 3_600_000;
    const from = new Date(Date.now() - 30 * hour).toISOString();
    const to = new Date(Date.now() - 2 * hour).toISOString();
    const out = path.join(env.CXO_DATA_DIR, "out.ndjson");
    const config = path.join(env.CXO_DATA_DIR, "dialer.yaml");
    writeFileSync(config, readFileSync(new URL("../../../examples/dialer.yaml", import.meta.url), "utf8"));
    await adminCall(h.url, "DELETE", "/requests");
    const run = (args: string[]) => runCli(args, env, { timeoutMs: 120_000 });
    const [pause, status, exportRun, metrics, pauseInbound, malformed, validate] = await inTurn([
      () => run(["campaigns", "pause", "999999"]),
      () => run(["campaigns", "status", "999999"]),
      () => run(["outcomes", "export", "--campaign", "999999", "--from", from, "--to", to, "--out", out]),
      () => run(["dialer", "metrics", "--campaign", "999999"]),
      () => run(["campaigns", "pause", String(inbound().skillId)]),
      () => run(["campaigns", "status", "abc"]),
      () => run(["dialer", "validate", "--config", config, "--campaign", String(skill.skillId)]),
    ]);
    for (const result of [pause, status, exportRun, metrics]) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain("999999");
    }
    expect(pauseInbound.code, pauseInbound.stderr).toBe(2);
    expect(pauseInbound.stderr).toMatch(/inbound skill, not a campaign/);
    expect(malformed.code, malformed.stderr).toBe(2);
    expect(malformed.stderr).toMatch(/not a CXone skill id/);
    expect(validate.stderr + validate.stdout).not.toContain("CXone policy validation: PASS (local:");
    expect(validate.stdout).toMatch(
      /local policy checks \(this platform has no CXone policy service\): PASS/,
    );
    const log = (await adminCall(h.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => /\/abc\b/.test(r.path))).toEqual([]);
  }, 180_000);

  it("the SDK refuses a malformed skill id with an InputError before sending anything", async () => {
    const c = client();
    await adminCall(h.url, "DELETE", "/requests");
    await expect(c.campaigns.status("abc")).rejects.toBeInstanceOf(InputError);
    await expect(
      c.port.outcomes
        .listCalls({ campaignId: "abc", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" })
        .toArray(),
    ).rejects.toBeInstanceOf(InputError);
    const log = (await adminCall(h.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => r.path.includes("/inContactAPI/"))).toEqual([]);
  });
});

describe("a window ending inside the warehouse lag", () => {
  it("is warned about, in the export's summary", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-lag-"));
    const c = client({ CXO_DATA_DIR: dir });
    const now = Date.now();
    const recent = await c.outcomes.export(
      {
        campaignId: String(skill.skillId),
        from: new Date(now - 3 * 3_600_000).toISOString(),
        to: new Date(now - 5 * 60_000).toISOString(),
      },
      { out: path.join(dir, "recent.ndjson") },
    );
    expect(recent.warnings?.join(" ")).toMatch(/less than 30 minutes ago.*export them again later/);
    const settled = await c.outcomes.export(
      {
        campaignId: String(skill.skillId),
        from: new Date(now - 5 * 3_600_000).toISOString(),
        to: new Date(now - 3 * 3_600_000).toISOString(),
      },
      { out: path.join(dir, "settled.ndjson") },
    );
    expect(settled.warnings).toBeUndefined();
  });
});

describe("one record shape on both platforms", () => {
  it("an exported record says OUTBOUND (the seed API's casing) and carries a contact id", async () => {
    const query = {
      campaignId: String(skill.skillId),
      from: h.fixtures.completed.windowStart,
      to: new Date(Date.now() - 3_600_000).toISOString(),
      pageSize: 50,
    };
    const [call] = await client().port.outcomes.listCalls(query).toArray(1);
    const record = canonicalRecord(call!.raw);
    expect(record.direction).toBe("OUTBOUND");
    expect(record.contactId).toEqual(expect.any(String));
  });
});

describe("robustness: the business unit's time zone", () => {
  it("one failed read does not pin it to UTC", async () => {
    const c = client();
    const original = ProductionApi.prototype.request;
    let fail = 1;
    const spy = vi.spyOn(ProductionApi.prototype, "request").mockImplementation(async function (
      this: ProductionApi,
      options,
    ) {
      if (options.endpoint === "GET /business-unit" && fail-- > 0) throw new Error("connection reset");
      return original.call(this, options);
    });
    try {
      const id = String(skill.skillId);
      expect((await c.port.campaigns.get(id)).timeZone).toBe("UTC");
      expect((await c.port.campaigns.get(id)).timeZone).not.toBe("UTC");
    } finally {
      spy.mockRestore();
    }
  });
});
