import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../../src/client.ts";
import { productionApiSchema } from "../../../src/core/config/schema.ts";
import { ValidationError } from "../../../src/core/http/errors.ts";
import { Transport } from "../../../src/core/http/transport.ts";
import { ProductionApi } from "../../../src/platform/cxone/api.ts";
import type { ProductionSession } from "../../../src/platform/cxone/auth.ts";
import { productionCampaigns } from "../../../src/platform/cxone/campaigns.ts";
import { changedCalls } from "../../../src/platform/cxone/changed-calls.ts";
import { getDiscoveryJson } from "../../../src/platform/cxone/discovery.ts";
import { startListUpload, waitForListUpload } from "../../../src/platform/cxone/list-upload.ts";
import { productionOutcomes } from "../../../src/platform/cxone/outcomes.ts";
import { productionLists } from "../../../src/platform/cxone/plan-push.ts";
import { TagCatalogue } from "../../../src/platform/cxone/tags.ts";
import { IncompleteListingError, UnreadableAnswerError } from "../../../src/platform/errors.ts";
import {
  type ScriptedAnswer,
  type ScriptedServer,
  startScriptedServer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../../support/scripted-server.ts";

/**
 * Every answer of a CXone route that cannot be read, over real HTTP (a scripted server behind the
 * production adapter): each row names the error's class and its stable `code`, so a caller's
 * `switch (error.code)` holds for the condition — an unreadable answer is
 * `cxone_unreadable_answer`, a page answered twice `cxone_listing_incomplete` ("repeated-page"),
 * an upload CXone cancelled `cxone_validation_failed` with CXone's words — never the catch-all
 * `cxone_error`, which stays for a status no class names.
 */
const PREFIX = "/inContactAPI/services/v33.0";
const SKILL = { skills: [{ skillId: 701, isOutbound: true, mediaTypeId: 4 }] };
const record = (id: number, at: string) => ({
  contactId: id,
  contactStartDate: at,
  lastUpdateTime: at,
  skillId: 701,
  isOutbound: true,
  mediaTypeId: 4,
});
const PAGE = [record(1, "2026-01-01T10:00:00.000Z"), record(2, "2026-01-01T10:01:00.000Z")];

type Routes = Record<string, ScriptedAnswer | ((query: URLSearchParams) => ScriptedAnswer)>;

let server: ScriptedServer;
let client: InternalClient;
let api: ProductionApi;

/** Answers by `METHOD /path` below the versioned root (a `{id}` matches one segment); else 404. */
function answer(routes: Routes): void {
  const table = Object.entries(routes).map(([key, value]) => {
    const [method, path] = key.split(" ") as [string, string];
    return { method, pattern: new RegExp(`^${path.replace(/\{\w+\}/g, "[^/]+")}$`), value };
  });
  server.setApi((request) => {
    const path = request.path.replace(PREFIX, "");
    const row = table.find((r) => r.method === request.method && r.pattern.test(path));
    if (!row) return { status: 404, body: { error: "NotFound" } };
    return typeof row.value === "function" ? row.value(request.query) : row.value;
  });
}

beforeAll(async () => {
  server = await startScriptedServer();
  server.token.delayMs = 0;
  client = createInternalClient({
    connection: { baseUrl: server.url, clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET },
    http: { backoffBaseMs: 1, backoffCapMs: 2, maxAttempts: 1 },
  });
  // The scripted server is the API host: paths go under its root (no discovery).
  const session = { endpoint: async () => "" } as unknown as ProductionSession;
  api = new ProductionApi(client.core.http, session, "v33.0");
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function drain<T>(items: AsyncIterable<T>): Promise<void> {
  for await (const _ of items);
}

const UPLOAD = { csv: "a,b\n", fileName: "x.csv", expirationDate: "2030-01-01T00:00:00Z" };
const WINDOW = { campaignId: "701", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" };

interface Row {
  name: string;
  routes: Routes;
  run: () => Promise<unknown>;
  type: new (...args: never[]) => Error;
  code: string;
  /** Further fields the error must have. */
  has?: Record<string, unknown>;
}

const rows: Row[] = [
  {
    name: "POST /lists/call-lists/{listId}/upload answers without a jobId",
    routes: { "POST /lists/call-lists/{id}/upload": { status: 202, body: {} } },
    run: () => startListUpload(api, "5", UPLOAD),
    type: UnreadableAnswerError,
    code: "cxone_unreadable_answer",
    has: { route: "POST /lists/call-lists/{listId}/upload", status: 202 },
  },
  {
    name: "the upload job comes back cancelled: CXone's own words",
    routes: {
      "GET /lists/call-lists/jobs/{id}": {
        status: 200,
        body: { uploadJobs: [{ jobId: "j1", isCancelled: true, errorMessage: "over the timed-call cap" }] },
      },
    },
    run: () => waitForListUpload(api, "j1"),
    type: ValidationError,
    code: "cxone_validation_failed",
    has: { cxoneDescription: "over the timed-call cap" },
  },
  {
    name: "POST /tags (tags.ts) answers without a tagId",
    routes: {
      "GET /tags": { status: 200, body: { totalRecords: 0, tags: [] } },
      "POST /tags": { status: 200, body: {} },
    },
    run: () => new TagCatalogue(api, true).idsOf(["Hot lead"]),
    type: UnreadableAnswerError,
    code: "cxone_unreadable_answer",
    has: { route: "POST /tags" },
  },
  {
    name: "POST /lists/call-lists (plan-push.ts) answers without a listId",
    routes: {
      "GET /lists/call-lists": { status: 200, body: { totalRecords: 0, callingLists: [] } },
      "POST /lists/call-lists": { status: 200, body: {} },
    },
    run: () =>
      productionLists(api).pushTimed({
        listName: "cxo-plan",
        campaignId: "701",
        records: [],
        expiresAt: "2030-01-01T00:00:00Z",
      }),
    type: UnreadableAnswerError,
    code: "cxone_unreadable_answer",
    has: { route: "POST /lists/call-lists" },
  },
  {
    name: "GET /skills/{skillId} (campaigns.ts) answers something that is not a skill",
    routes: {
      "GET /skills/{id}": { status: 200, body: { skills: [{ name: "no id" }] } },
      "GET /skills/{id}/parameters": { status: 200, body: {} },
      "GET /business-unit": { status: 200, body: { businessUnits: [{ timeZone: "Eastern Standard Time" }] } },
    },
    run: () =>
      productionCampaigns(api, productionApiSchema.parse({}), productionOutcomes(api, 100)).get("701"),
    type: UnreadableAnswerError,
    code: "cxone_unreadable_answer",
  },
  {
    name: "GET /skills/{skillId} answers a JSON array, not an object (tolerant.ts)",
    routes: { "GET /skills/{id}": { status: 200, body: [1, 2] } },
    run: () => drain(productionOutcomes(api, 100).listCalls(WINDOW)),
    type: UnreadableAnswerError,
    code: "cxone_unreadable_answer",
  },
  {
    name: "GET /contacts/completed (outcomes.ts): a contact record that is not an object",
    routes: {
      "GET /skills/{id}": { status: 200, body: SKILL },
      "GET /skills/{id}/dispositions": { status: 200, body: { totalRecords: 0, dispositions: [] } },
      "GET /dispositions": { status: 200, body: { totalRecords: 0, dispositions: [] } },
      "GET /contacts/completed": { status: 200, body: { totalRecords: 1, completedContacts: [7] } },
    },
    run: () => drain(productionOutcomes(api, 100).listCalls(WINDOW)),
    type: UnreadableAnswerError,
    code: "cxone_unreadable_answer",
  },
  {
    name: "GET /contacts/completed: an answer that is not JSON (array-pages.ts)",
    routes: {
      "GET /skills/{id}": { status: 200, body: SKILL },
      "GET /skills/{id}/dispositions": { status: 200, body: { totalRecords: 0, dispositions: [] } },
      "GET /dispositions": { status: 200, body: { totalRecords: 0, dispositions: [] } },
      "GET /contacts/completed": {
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"totalRecords":1,"completedContacts":[{"contactId":}]}',
      },
    },
    run: () => drain(productionOutcomes(api, 100).listCalls(WINDOW)),
    type: UnreadableAnswerError,
    code: "cxone_unreadable_answer",
  },
  {
    name: "GET /contacts/completed (outcomes.ts) answers the first page again for skip 2",
    routes: {
      "GET /skills/{id}": { status: 200, body: SKILL },
      "GET /skills/{id}/dispositions": { status: 200, body: { totalRecords: 0, dispositions: [] } },
      "GET /dispositions": { status: 200, body: { totalRecords: 0, dispositions: [] } },
      "GET /contacts/completed": { status: 200, body: { totalRecords: 4, completedContacts: PAGE } },
    },
    run: () => drain(productionOutcomes(api, 100).listCalls({ ...WINDOW, pageSize: 2 })),
    type: IncompleteListingError,
    code: "cxone_listing_incomplete",
    has: { reason: "repeated-page", read: 2 },
  },
  {
    name: "GET /contacts/completed by updatedSince (changed-calls.ts) answers the same page again",
    routes: {
      "GET /skills/{id}": { status: 200, body: SKILL },
      "GET /skills/{id}/dispositions": { status: 200, body: { totalRecords: 0, dispositions: [] } },
      "GET /dispositions": { status: 200, body: { totalRecords: 0, dispositions: [] } },
      "GET /contacts/completed": { status: 200, body: { completedContacts: PAGE } },
    },
    run: () =>
      drain(changedCalls(api, { campaignId: "701", updatedSince: "2026-01-01T00:00:00Z", pageSize: 2 })),
    type: IncompleteListingError,
    code: "cxone_listing_incomplete",
    has: { reason: "repeated-page", read: 2 },
  },
  // The seed platform's unreadable answer: the same class and code, in the seed API's name.
  {
    name: "seed: GET /api/v1/analytics/dialer/metrics answers without its results",
    routes: { "GET /api/v1/analytics/dialer/metrics": { status: 200, body: { results: "none" } } },
    run: () =>
      drain(client.port.dialer.metrics({ campaignId: "c", metrics: ["answerRate"], groupBy: "hour" })),
    type: UnreadableAnswerError,
    code: "cxone_unreadable_answer",
    has: {
      message: expect.stringMatching(
        /^GET \/api\/v1\/analytics\/dialer\/metrics: the seed API answered 200 without/,
      ),
    },
  },
  // The same condition on the seed platform (token-paged): the same class and code.
  {
    name: "seed: GET /api/v1/analytics/dialer/metrics answers the same page token again",
    routes: {
      "GET /api/v1/analytics/dialer/metrics": {
        status: 200,
        body: { results: [{ timestamp: "2026-01-01T10:00:00Z", campaignId: "c" }], nextPageToken: "again" },
      },
    },
    run: () =>
      drain(client.port.dialer.metrics({ campaignId: "c", metrics: ["answerRate"], groupBy: "hour" })),
    type: IncompleteListingError,
    code: "cxone_listing_incomplete",
    has: { reason: "repeated-page", read: 2, route: "GET /api/v1/analytics/dialer/metrics" },
  },
];

describe("a CXone answer that cannot be read names its condition in its class and code", () => {
  it.each(rows)("$name", async (row) => {
    answer(row.routes);
    const error = (await row.run().then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { code?: string };
    expect(error, "the call must fail").toBeInstanceOf(row.type);
    expect(error.code).toBe(row.code);
    if (row.has) expect(error).toMatchObject(row.has);
  });

  it("discovery (discovery.ts): a document that is not a JSON object", async () => {
    // Discovery asks without a token: the scripted server's token route is the one it answers freely.
    server.token.answer = () => ({ status: 200, body: [1, 2] });
    const transport = new Transport();
    try {
      const error = await getDiscoveryJson(
        transport,
        `${server.url}/oauth/token`,
        "OpenID configuration",
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableAnswerError);
      expect(error).toMatchObject({ code: "cxone_unreadable_answer", status: 200 });
    } finally {
      server.token.answer = undefined;
      await transport.close();
    }
  });

  it("the token endpoint answers without an access_token (token-provider.ts)", async () => {
    const fresh = createInternalClient({
      connection: { baseUrl: server.url, clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET },
      http: { backoffBaseMs: 1, backoffCapMs: 2, maxAttempts: 1 },
    });
    server.token.answer = () => ({ status: 200, body: { token_type: "Bearer" } });
    try {
      const error = await fresh.port.dispositions.getMatrix("c").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableAnswerError);
      expect(error).toMatchObject({ code: "cxone_unreadable_answer", status: 200 });
    } finally {
      server.token.answer = undefined;
      await fresh.close();
    }
  });
});
