import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { Transport } from "../../../src/core/http/transport.ts";
import {
  DISCOVERY_LIMITS,
  discoveryLimits,
  getDiscoveryJson,
} from "../../../src/platform/cxone/discovery.ts";

/**
 * An issuer that accepts the connection and never answers: discovery fails within its deadline
 * with a sentence naming the host and what was awaited (issue 29: `auth check` was silent for
 * 62 s, then said only ATTEMPT_TIMEOUT).
 */
let server: Server;
const sockets: Socket[] = [];
let origin = "";

beforeAll(async () => {
  server = createServer((socket) => sockets.push(socket)); // reads nothing, answers nothing
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("a hung issuer", () => {
  // Its deadline (400 ms, attempts of 150 ms) is what ends the wait: the attempts it made fit in
  // it (a loaded machine makes fewer, never more), and a hang (the bug) is the test's timeout.
  // How soon it ends is not asserted (issue 93 §4: no wall-clock bound in a test).
  it("fails within the deadline, naming the host and the document awaited", async () => {
    const transport = new Transport();
    try {
      const error = await getDiscoveryJson(
        transport,
        `${origin}/.well-known/openid-configuration`,
        "OpenID configuration",
        undefined,
        { ...DISCOVERY_LIMITS, attemptMs: 150, deadlineMs: 400 },
      ).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      const attempts = (error as { attempts?: number }).attempts;
      expect(attempts).toBeGreaterThanOrEqual(1);
      expect(attempts).toBeLessThanOrEqual(Math.ceil(400 / 150));
      expect(error?.message).toMatch(
        new RegExp(
          `no answer from ${new URL(origin).host.replace(".", "\\.")} within \\d+ s while waiting for the OpenID configuration`,
        ),
      );
    } finally {
      await transport.close();
    }
  });

  it("the limits are the login's (loginLimits), within the configured ones (http.timeoutMs per attempt, http.deadlineMs in all)", () => {
    // A client asking for more than the defaults gets the defaults: never raised.
    const generous = {
      timeoutMs: 30_000,
      deadlineMs: 120_000,
      maxAttempts: 10,
      backoffBaseMs: 200,
      backoffCapMs: 60_000,
    };
    expect(discoveryLimits(generous)).toEqual(DISCOVERY_LIMITS);
    expect(DISCOVERY_LIMITS).toEqual({
      attemptMs: 15_000,
      deadlineMs: 30_000,
      maxAttempts: 4,
      backoffBaseMs: 200,
      backoffCapMs: 5_000,
    });
    expect(discoveryLimits({ ...generous, timeoutMs: 400, deadlineMs: 1000 })).toMatchObject({
      attemptMs: 400,
      deadlineMs: 1000,
    });
    expect(discoveryLimits({ ...generous, deadlineMs: 5000 })).toMatchObject({
      attemptMs: 5000,
      deadlineMs: 5000,
    });
    // The client's attempts and backoff lower the login's, so they lower discovery's.
    expect(discoveryLimits({ ...generous, maxAttempts: 1, backoffBaseMs: 5, backoffCapMs: 50 })).toEqual({
      attemptMs: 15_000,
      deadlineMs: 30_000,
      maxAttempts: 1,
      backoffBaseMs: 5,
      backoffCapMs: 50,
    });
  });

  it("a client's login fails within ITS configured deadline (not the 30 s discovery default), naming the host", async () => {
    const settings = loadSettings({
      cwd: "/nonexistent",
      env: {
        CXONE_PLATFORM: "cxone",
        CXONE_ISSUER: origin,
        CXONE_CLIENT_ID: "app",
        CXONE_CLIENT_SECRET: "app-secret",
        CXONE_ACCESS_KEY_ID: "key",
        CXONE_ACCESS_KEY_SECRET: "key-secret",
      },
    });
    Object.assign(settings.http, { timeoutMs: 300, deadlineMs: 900 });
    const client = createInternalClient(clientOptionsFromSettings(settings));
    try {
      const error = await client.access.describe().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(
        new RegExp(
          `no answer from ${new URL(origin).host.replace(".", "\\.")} within [01] s while waiting for the OpenID configuration`,
        ),
      );
    } finally {
      await client.close();
    }
  });
});
