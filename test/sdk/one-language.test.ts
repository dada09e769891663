import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import { portOf } from "../../src/internal.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * The SDK speaks one language: bad options and bad per-call options are InputErrors naming the
 * option (nothing sent), every error carries a stable `code`, a caller's deadline is a typed
 * error, per-call `maxAttempts` bounds the retries, `tag` throws CXone's typed error, `tagFile`
 * reads streams and iterables, and the client is `await using`-disposable.
 */
let emulator: RunningEmulator;
const dirs = () => mkdtempSync(path.join(tmpdir(), "cxo-sdk-lang-"));
const admin$ = (method: string, route: string, body?: unknown) =>
  adminCall(emulator.url, method, route, body);
const clientOn = (dataDir = dirs()) => {
  const admin = emulator.fixtures.clients[0]!;
  return sdk.createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir,
    http: { backoffBaseMs: 1, backoffCapMs: 5, rateLimitScale: 1000 },
  });
};
const requests = async (): Promise<Array<{ method: string; path: string; status: number }>> =>
  (
    (await admin$("GET", "/requests")) as {
      requests: Array<{ method: string; path: string; status: number }>;
    }
  ).requests;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, calls: 300, rateLimitScale: 1000, metricsIntervalMs: 0 });
});
afterAll(() => emulator.close());

describe("createClient options", () => {
  it.each([
    [{ connection: { baseUrl: "not a url", clientId: "a", clientSecret: "b" } }, "connection.baseUrl"],
    [{ connection: { baseUrl: "http://x", clientId: "a" } }, "connection.clientSecret"],
    [
      { connection: { baseUrl: "http://x", clientId: "a", clientSecret: "b" }, http: { maxAttempts: 0 } },
      "http.maxAttempts",
    ],
    [
      {
        connection: { baseUrl: "http://x", clientId: "a", clientSecret: "b", auth: { credentials: "nope" } },
      },
      "connection.auth.credentials",
    ],
    [{ connection: { platform: "cxone", clientId: "a", clientSecret: "b" } }, "connection.accessKeyId"],
    // The settings file refuses these (core/config/schema.ts); createClient took them as given.
    [
      { connection: { platform: "cxone", accessKeyId: "k", accessKeySecret: "s", apiVersion: "33" } },
      "connection.apiVersion",
    ],
    [
      { connection: { platform: "cxone", accessKeyId: "k", accessKeySecret: "s", tenantId: "" } },
      "connection.tenantId",
    ],
  ])("%j is an InputError naming %s (no ZodError)", (options, field) => {
    const error = (() => {
      try {
        sdk.createClient(options as never);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(sdk.InputError);
    expect((error as sdk.InputError).code).toBe("invalid_input");
    expect((error as sdk.InputError).problems.map((p) => p.field)).toContain(field);
  });
});

/**
 * One rule per option: what `createClient` says of a bad value is what the settings file says of
 * the same value under its key (both are built from core/config's field schemas).
 */
describe("createClient's rules are the settings file's", () => {
  const seed = { baseUrl: "http://x", clientId: "a", clientSecret: "b" };
  const production = { platform: "cxone", accessKeyId: "k", accessKeySecret: "s" };
  it.each([
    {
      sdk: {
        connection: seed,
        rnd: { url: "http://rnd", clientId: "c", clientSecret: "s", batchSize: 5000 },
      },
      field: "rnd.batchSize",
      settings: { compliance: { rnd: { batchSize: 5000 } } },
      key: "compliance.rnd.batchSize",
    },
    {
      sdk: { connection: seed, groupCommitMs: 500 },
      field: "groupCommitMs",
      settings: { store: { groupCommitMs: 500 } },
      key: "store.groupCommitMs",
    },
    {
      sdk: { connection: { ...seed, clientId: "" } },
      field: "connection.clientId",
      settings: { cxone: { clientId: "" } },
      key: "cxone.clientId",
    },
    {
      sdk: { connection: { ...production, area: "north" } },
      field: "connection.area",
      settings: { cxone: { area: "north" } },
      key: "cxone.area",
    },
    {
      sdk: { connection: { ...production, issuer: "ftp://x" } },
      field: "connection.issuer",
      settings: { cxone: { issuer: "ftp://x" } },
      key: "cxone.issuer",
    },
  ])("$field: the rule of $key", ({ sdk: options, field, settings, key }) => {
    const error = (() => {
      try {
        sdk.createClient({ ...options, dataDir: dirs() } as never);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(sdk.InputError);
    const rule = (error as sdk.InputError).problems.find((p) => p.field === field)?.rule;
    const parsed = settingsSchema.safeParse(settings);
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues.find((i) => i.path.join(".") === key);
    expect(issue, key).toBeDefined();
    expect(rule).toBe(issue?.message);
  });
});

describe("per-call options", () => {
  it("a negative or non-finite deadlineMs, or a bad maxAttempts, is an InputError; nothing is sent", async () => {
    await using cxo = clientOn();
    const campaignId = emulator.fixtures.campaigns[0]!.id;
    await admin$("DELETE", "/requests");
    for (const [options, field] of [
      [{ deadlineMs: -1 }, "deadlineMs"],
      [{ deadlineMs: Number.NaN }, "deadlineMs"],
      [{ deadlineMs: Number.POSITIVE_INFINITY }, "deadlineMs"],
      [{ maxAttempts: 0 }, "maxAttempts"],
    ] as const) {
      const error = await cxo.dispositions.codes(campaignId, options).catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(sdk.InputError);
      expect((error as sdk.InputError).problems[0]?.field).toBe(field);
    }
    const apply = await cxo.dialer
      .apply({} as never, { waitFor: { maxWaitMs: -5 } })
      .catch((e: unknown) => e);
    expect((apply as sdk.InputError).problems?.[0]?.field).toBe("waitFor.maxWaitMs");
    const whole = await cxo.dialer.apply({} as never, {}, { deadlineMs: -5 }).catch((e: unknown) => e);
    expect((whole as sdk.InputError).problems?.[0]?.field).toBe("deadlineMs");
    expect((await requests()).filter((r) => !r.path.includes("token"))).toEqual([]);
  });

  it("a deadline that fires is a DeadlineExceededError (code deadline_exceeded), not a DOMException", async () => {
    await using cxo = clientOn();
    await admin$("POST", "/faults", { group: "dispositions", latencyMs: 2000 });
    try {
      const error = await cxo.dispositions
        .codes(emulator.fixtures.campaigns[0]!.id, { deadlineMs: 100 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.DeadlineExceededError);
      expect(error).toMatchObject({ code: "deadline_exceeded", deadlineMs: 100 });
      expect(sdk.isSdkError(error)).toBe(true);
    } finally {
      await admin$("DELETE", "/faults");
    }
  });

  it("maxAttempts bounds the attempts of each request of the call", async () => {
    await using cxo = clientOn();
    const campaignId = emulator.fixtures.campaigns[1]!.id;
    await admin$("POST", "/faults", { group: "dispositions", errorRate: 1, errorStatus: 503 });
    await admin$("DELETE", "/requests");
    try {
      const error = await cxo.dispositions.codes(campaignId, { maxAttempts: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.ServerError);
      expect(error).toMatchObject({ code: "server_error", attempts: 2 });
      const matrixGets = (await requests()).filter((r) => r.method === "GET" && r.path.includes(campaignId));
      expect(matrixGets).toHaveLength(2);
    } finally {
      await admin$("DELETE", "/faults");
    }
  });

  it("campaigns.segment takes deadlineMs", async () => {
    await using cxo = clientOn();
    const listId = emulator.fixtures.contactLists[0]!.id;
    await admin$("POST", "/faults", { group: "campaigns", latencyMs: 2000 });
    try {
      const error = await cxo.campaigns
        .segment(listId, { sink: { write: async () => {} } as never }, { deadlineMs: 100 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.DeadlineExceededError);
    } finally {
      await admin$("DELETE", "/faults");
    }
  });
});

describe("errors", () => {
  it("every exported error class has a distinct stable code", () => {
    const classes = Object.entries(sdk).filter(
      // CxoError is the abstract base: its subclasses carry the codes.
      ([name, value]) => typeof value === "function" && /^[A-Z]\w*Error$/.test(name) && name !== "CxoError",
    ) as Array<[string, new (...args: never[]) => Error]>;
    expect(classes.length).toBeGreaterThanOrEqual(24);
    const codes = new Map<string, string>();
    const make: Record<string, () => Error> = {
      ScopeError: () => new sdk.ScopeError("m", []),
      NotSupportedError: () =>
        new sdk.NotSupportedError({ platform: "cxone", operation: "x", why: "y", alternative: "z" }),
      DispositionRuleError: () => new sdk.DispositionRuleError("r", { field: "f", rule: "r" }),
      InputError: () => new sdk.InputError({ field: "f", rule: "r" }),
      EveryRecordBlockedError: () => new sdk.EveryRecordBlockedError({ consent_revoked: 1 }),
      ConfigError: () => new sdk.ConfigError("s", "p", "h"),
      DeadlineExceededError: () => new sdk.DeadlineExceededError(5),
      ExportInterruptedError: () =>
        new sdk.ExportInterruptedError("m", { records: 0, pages: 0, pagesFailed: 0 }),
      LeaseLostError: () => new sdk.LeaseLostError({ name: "n", token: 1 }),
      ConsentNotRecordedEverywhereError: () =>
        new sdk.ConsentNotRecordedEverywhereError([{ tenant: "a", holds: false, added: 0, known: 0 }]),
      StoreFullError: () => new sdk.StoreFullError({ location: "x/cxo.sqlite", dataDir: "x" }),
      DncGroupMissingError: () => new sdk.DncGroupMissingError({ groupId: "9" }),
      StoreSchemaTooNewError: () =>
        new sdk.StoreSchemaTooNewError({ storeVersion: 9, buildVersion: 8, location: "x" }),
      CxoneDncCopyIncompleteError: () =>
        new sdk.CxoneDncCopyIncompleteError({ groupId: "1", name: "n", read: 1, expected: 2, attempts: 3 }),
      IncompleteListingError: () => new sdk.IncompleteListingError("GET /x", "repeated-page", { read: 1 }),
      UnreadableAnswerError: () => new sdk.UnreadableAnswerError("GET /x", "an array"),
      AnswerTooLargeError: () => new sdk.AnswerTooLargeError("GET /x", { bytes: 10, why: "a test's bound" }),
      SkillDriftError: () =>
        new sdk.SkillDriftError({
          skillId: "1",
          seenAt: "x",
          changes: [],
          action: "remove-records",
          text: "t",
        }),
    };
    for (const [name, Class] of classes) {
      const error = (make[name] ?? (() => new (Class as unknown as new (m: string) => Error)("m")))();
      expect(error, name).toBeInstanceOf(Class);
      const code = (error as { code?: unknown }).code;
      expect(typeof code, name).toBe("string");
      expect(sdk.isSdkError(error), name).toBe(true);
      // A subclass of InputError is bad input too (DispositionRuleError, EveryRecordBlockedError:
      // the CLI's exit 2), and RepeatedPageTokenError is a page answered twice (the seed's name
      // for IncompleteListingError's repeated-page); every other class has its own code.
      const sameCondition =
        (error instanceof sdk.InputError && name !== "InputError") ||
        (error instanceof sdk.IncompleteListingError && name !== "IncompleteListingError");
      if (sameCondition)
        expect(code, name).toBe(
          error instanceof sdk.InputError ? "invalid_input" : "cxone_listing_incomplete",
        );
      else {
        expect(codes.get(code as string), `${name} shares ${code}`).toBeUndefined();
        codes.set(code as string, name);
      }
    }
    expect(sdk.isSdkError(new Error("x"))).toBe(false);
  });

  it("a refused token is an AuthError worded in SDK terms (no environment variable the SDK never reads)", async () => {
    const admin = emulator.fixtures.clients[0]!;
    await using cxo = sdk.createClient({
      connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: "wrong" },
      dataDir: dirs(),
      http: { backoffBaseMs: 1, backoffCapMs: 5 },
    });
    const error = await cxo.access.describe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.AuthError);
    expect((error as sdk.AuthError).code).toBe("auth_failed");
    expect((error as Error).message).toContain("client id and secret");
    expect((error as Error).message).not.toMatch(/CXONE_|--/);
  });

  it("dispositions.tag throws CXone's typed error for an unknown call (never {ok: false})", async () => {
    await using cxo = clientOn();
    const campaign = emulator.fixtures.campaigns[0]!;
    const code =
      campaign.dispositionCodes.find((c) => c.reasonCodes.length === 0) ?? campaign.dispositionCodes[0]!;
    const error = await cxo.dispositions
      .tag(campaign.id, {
        callId: "no-such-call",
        dispositionCodeId: code.id,
        ...(code.reasonCodes[0] ? { reasonCodeId: code.reasonCodes[0].id } : {}),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.NotFoundError);
    expect(error).toMatchObject({ code: "not_found", status: 404 });

    const locked = emulator.fixtures.lockedCalls[0]!;
    const lockedCampaign = emulator.fixtures.campaigns.find((c) => c.id === locked.campaignId)!;
    const lockedCode = lockedCampaign.dispositionCodes[0]!;
    const conflict = await cxo.dispositions
      .tag(locked.campaignId, {
        callId: locked.id,
        dispositionCodeId: lockedCode.id,
        ...(lockedCode.reasonCodes[0] ? { reasonCodeId: lockedCode.reasonCodes[0].id } : {}),
      })
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({ code: "conflict", status: 409 });
  });
});

describe("streams in and out", () => {
  const rowsOf = async (n: number, offset: number) => {
    const campaign = emulator.fixtures.campaigns[0]!;
    const { calls } = (await admin$("GET", "/fixtures?calls=300")) as {
      calls: Array<{ id: string; campaignId: string }>;
    };
    const locked = new Set(emulator.fixtures.lockedCalls.map((c) => c.id));
    const code = campaign.dispositionCodes[0]!;
    return calls
      .filter((c) => c.campaignId === campaign.id && !locked.has(c.id))
      .slice(offset, offset + n)
      .map((c) => ({
        callId: c.id,
        dispositionCodeId: code.id,
        ...(code.reasonCodes[0] ? { reasonCodeId: code.reasonCodes[0].id } : {}),
      }));
  };

  it("tagFile takes an async iterable of rows and a readable stream of CSV bytes", async () => {
    await using cxo = clientOn();
    const campaignId = emulator.fixtures.campaigns[0]!.id;
    const rows = await rowsOf(6, 0);
    const fromIterable = await cxo.dispositions.tagFile(
      (async function* () {
        yield* rows.slice(0, 3);
      })(),
      { campaignId },
    );
    expect(fromIterable).toMatchObject({ file: "(stream)", total: 3, succeeded: 3, invalid: 0 });
    const csv = `callId,dispositionCodeId,reasonCodeId\n${rows
      .slice(3)
      .map((r) => `${r.callId},${r.dispositionCodeId},${r.reasonCodeId ?? ""}`)
      .join("\n")}\n`;
    const fromStream = await cxo.dispositions.tagFile(Readable.from([Buffer.from(csv)]), {
      campaignId,
      format: "csv",
    });
    expect(fromStream).toMatchObject({ total: 3, succeeded: 3, invalid: 0 });
    const noFormat = await cxo.dispositions
      .tagFile(Readable.from([Buffer.from(csv)]), { campaignId })
      .catch((e: unknown) => e);
    expect((noFormat as sdk.InputError).problems[0]?.field).toBe("format");
  });

  it("outcomes.export writes into a writable stream", async () => {
    await using cxo = clientOn();
    const campaignId = emulator.fixtures.campaigns[0]!.id;
    const query = {
      campaignId,
      from: new Date(Date.now() - 80 * 86_400_000),
      to: new Date(Date.now() - 60_000),
    };
    const file = path.join(dirs(), "file.ndjson");
    const toFile = await cxo.outcomes.export(query, { out: file });
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on("data", (chunk: Buffer) => chunks.push(chunk));
    const toStream = await cxo.outcomes.export(query, { out: sink });
    expect(toStream.totalRecords).toBe(toFile.totalRecords);
    expect(toStream.complianceHash).toBe(toFile.complianceHash);
    expect(Buffer.concat(chunks).equals(readFileSync(file))).toBe(true);
    const resume = await cxo.outcomes
      .export(query, { out: new PassThrough(), resume: true })
      .catch((e: unknown) => e);
    expect((resume as sdk.InputError).problems[0]?.field).toBe("resume");
  });
});

describe("internals and disposal", () => {
  it("the raw port is reached through cxone-outbound/internal, not the client's public type", async () => {
    const cxo = clientOn();
    const info = await portOf(cxo).access.describe();
    expect(info.clientId).toBe(emulator.fixtures.clients[0]!.clientId);
    await cxo.close();
  });

  it("await using closes the client: its store is closed when the scope ends", async () => {
    const dataDir = dirs();
    const wal = path.join(dataDir, "cxo.sqlite-wal");
    let escaped: sdk.CxoneClient | undefined;
    {
      await using cxo = clientOn(dataDir);
      escaped = cxo;
      await cxo.compliance.check({ phone: "+12125550123", at: "2026-03-02T15:00:00Z" });
      expect(existsSync(wal)).toBe(true);
    }
    // SQLite removes the WAL file when its last connection closes.
    expect(existsSync(wal)).toBe(false);
    await escaped.close();
  });
});
