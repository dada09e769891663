import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { srcModules, srcText } from "../../scripts/source-tree.ts";
import { ClientClosedError } from "../../src/core/client-closed-error.ts";
import { DeadlineExceededError } from "../../src/core/deadline-error.ts";
import { type CallOptions, currentCallOptions } from "../../src/core/http/call-scope.ts";
import type { CxoneHttp } from "../../src/core/http/create.ts";
import { InputError } from "../../src/core/input-error.ts";
import type { CxonePort } from "../../src/platform/port.ts";
import { accessGroup } from "../../src/sdk/access.ts";
import * as call from "../../src/sdk/call.ts";
import { guardGroup } from "../../src/sdk/closed-guard.ts";
import { ClientRuntime } from "../../src/sdk/runtime.ts";
import { useFakeTimeouts } from "../support/fake-timeouts.ts";

/**
 * Every SDK method runs through one wrapper (src/sdk/call.ts): it builds the call's signal (its
 * deadline, the caller's signal, the client's close()) and applies its retry policy. A method
 * that built its own signal could forget one of them, silently; so no other file of src/sdk may.
 */
const SDK = "sdk/";
/** The modules directly in src/sdk (not its subfolders), by name (`call.ts`). */
const sdkFiles = () =>
  srcModules(SDK)
    .map((file) => file.slice(SDK.length))
    .filter((name) => !name.includes("/"));
const code = (name: string) =>
  srcText(`${SDK}${name}`)
    .split("\n")
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join("\n");

describe("one call wrapper: the source", () => {
  it("no file of src/sdk but the wrapper builds a call's signal or applies its policy itself", () => {
    const offenders = sdkFiles()
      .filter((name) => name !== "call.ts")
      .flatMap((name) =>
        [
          ...code(name).matchAll(
            /\b(requestSignal|inCall|listingInCall|writeRequest|withCallOptions|closingSignal)\b/g,
          ),
        ].map((m) => `${name}: ${m[1]}`),
      );
    expect(offenders).toEqual([]);
  });

  it("the wrapper exports the ways to run a call, and nothing that builds a signal", () => {
    expect(Object.keys(call).sort()).toEqual(["runCall", "runItems", "runListing"]);
  });

  it("every group file of src/sdk runs its methods through the wrapper", () => {
    const groups = sdkFiles().filter((name) => /export function \w+Group\(/.test(code(name)));
    // 14 in src/sdk; the autopilot's group is an application's now (below), no longer the SDK's.
    expect(groups.length).toBeGreaterThanOrEqual(14);
    const without = groups.filter((name) => !/from "\.\/call\.ts"/.test(code(name)));
    expect(without).toEqual([]);
  });

  it("the autopilot, an application over the SDK, runs its methods through the same wrapper", () => {
    // Through the application host the SDK hands an application (sdk/application-host.ts).
    const app = srcText("autopilot/app.ts");
    expect(app).toMatch(/import \{[^}]*\bapplicationHostOf\b[^}]*\} from "\.\.\/sdk\/application-host\.ts"/);
    expect(app).toMatch(/\bhost\.call\(/);
    const host = srcText(`${SDK}application-host.ts`);
    expect(host).toMatch(/import \{[^}]*\brunCall\b[^}]*\} from "\.\/call\.ts"/);
    expect(app).not.toMatch(
      /\b(requestSignal|inCall|listingInCall|writeRequest|withCallOptions|closingSignal)\b/,
    );
  });
});

/** A port whose `access.describe` answers only when its signal aborts, noting what it was given. */
function hangingPort(seen: Array<{ signal: AbortSignal | undefined; policy: CallOptions | undefined }>) {
  return {
    access: {
      describe: (signal?: AbortSignal) => {
        seen.push({ signal, policy: currentCallOptions() });
        return new Promise((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
        });
      },
    },
  } as unknown as CxonePort;
}

/** The access group of a client over `port`, as buildClient makes it (behind the closed guard). */
function clientOver(port: CxonePort) {
  const runtime = new ClientRuntime({
    port,
    core: {} as CxoneHttp,
    dataDir: path.join(tmpdir(), "cxo-one-call-unused"),
    actor: "test",
    destinations: {},
  });
  return { runtime, access: guardGroup(accessGroup(runtime), () => runtime.isClosed, runtime.calls) };
}

/** Whether `promise` has settled, after the pending microtasks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
}

describe("one call wrapper: what reaches a method's work", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the call's deadline (on the fake clock) and its retry policy reach the port through the method", async () => {
    useFakeTimeouts();
    const seen: Array<{ signal: AbortSignal | undefined; policy: CallOptions | undefined }> = [];
    const { runtime, access } = clientOver(hangingPort(seen));
    const running = access.describe({}, { deadlineMs: 5_000, maxAttempts: 2 });
    const failure = running.catch((error: unknown) => error);
    expect(await settled(running)).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.policy).toEqual({ maxAttempts: 2 });
    vi.advanceTimersByTime(4_999);
    expect(await settled(running)).toBe(false);
    vi.advanceTimersByTime(1);
    const error = await failure;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ deadlineMs: 5_000 });
    // The call has ended: its deadline's timer with it.
    expect(vi.getTimerCount()).toBe(0);
    await runtime.close();
  });

  it("the client's close() reaches the port through the method: the call rejects with ClientClosedError", async () => {
    const seen: Array<{ signal: AbortSignal | undefined; policy: CallOptions | undefined }> = [];
    const { runtime, access } = clientOver(hangingPort(seen));
    const failure = access.describe().catch((error: unknown) => error);
    await settled(failure);
    expect(seen[0]?.signal?.aborted).toBe(false);
    await runtime.close();
    expect(await failure).toBeInstanceOf(ClientClosedError);
    expect(seen[0]?.policy).toBeUndefined();
  });

  it("the caller's signal reaches the port through the method; an aborted one refuses to start the call", async () => {
    const seen: Array<{ signal: AbortSignal | undefined; policy: CallOptions | undefined }> = [];
    const { runtime, access } = clientOver(hangingPort(seen));
    const controller = new AbortController();
    const failure = access.describe({}, { signal: controller.signal }).catch((error: unknown) => error);
    await settled(failure);
    controller.abort(new Error("stop"));
    expect(await failure).toMatchObject({ message: "stop" });
    await expect(access.describe({}, { signal: controller.signal })).rejects.toThrow("stop");
    expect(seen).toHaveLength(1);
    await runtime.close();
  });

  it("bad options are an InputError naming the field before the work starts", async () => {
    const seen: Array<{ signal: AbortSignal | undefined; policy: CallOptions | undefined }> = [];
    const { runtime, access } = clientOver(hangingPort(seen));
    for (const [options, field] of [
      [{ deadlineMs: -1 }, "deadlineMs"],
      [{ maxAttempts: 0 }, "maxAttempts"],
      [{ idempotencyKey: "k-1" }, "idempotencyKey"],
      [{ signal: "stop" }, "signal"],
    ] as const) {
      const error = await access.describe({}, options as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]?.field).toBe(field);
    }
    expect(seen).toEqual([]);
    await runtime.close();
  });
});

describe("one call wrapper: keyed writes and listings", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const owner = () => {
    const closing = new AbortController();
    return { closing, owner: { calls: { closing: closing.signal } } };
  };

  it("a keyed call is given its idempotency key; a malformed one is an InputError", async () => {
    const { owner: o } = owner();
    const key = await call.runCall(o, { idempotencyKey: "k-1" }, (_signal, scope) => scope.idempotencyKey, {
      keyed: true,
    });
    expect(key).toBe("k-1");
    const bad = await call
      .runCall(o, { idempotencyKey: "with space" }, () => "sent", { keyed: true })
      .catch((e: unknown) => e);
    expect((bad as InputError).problems[0]?.field).toBe("idempotencyKey");
  });

  it("a listing's deadline starts with its iteration, and each step runs with the call's policy", async () => {
    useFakeTimeouts();
    const { owner: o, closing } = owner();
    const policies: Array<CallOptions | undefined> = [];
    let signalOf: AbortSignal | undefined;
    const listing = call.runItems(o, { deadlineMs: 1_000, maxAttempts: 3 }, async function* (signal) {
      signalOf = signal;
      for (let i = 0; ; i++) {
        policies.push(currentCallOptions());
        signal?.throwIfAborted();
        yield i;
      }
    });
    // Nothing starts before the iteration does: no timer yet.
    expect(vi.getTimerCount()).toBe(0);
    const iterator = listing[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(0);
    expect((await iterator.next()).value).toBe(1);
    expect(policies).toEqual([{ maxAttempts: 3 }, { maxAttempts: 3 }]);
    vi.advanceTimersByTime(1_000);
    await expect(iterator.next()).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(signalOf?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    // And the owner's close() stops another iteration.
    const again = listing[Symbol.asyncIterator]();
    expect((await again.next()).value).toBe(0);
    closing.abort(new ClientClosedError());
    await expect(again.next()).rejects.toBeInstanceOf(ClientClosedError);
  });
});

describe("one call wrapper: a scoped call and the calls inside it", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const owner = () => ({ calls: { closing: new AbortController().signal } });
  /** Work that ends only when `signal` aborts, rejecting with its reason. */
  const hanging = (signal: AbortSignal | undefined) =>
    new Promise<never>((_resolve, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });

  it("a scoped call's signal fires when it ends: what it started and did not await stops there", async () => {
    const o = owner();
    // One side fails at once; the other is still at work when the call rejects.
    let other: AbortSignal | undefined;
    const failure = await call
      .runCall(
        o,
        {},
        async (signal) => {
          other = signal;
          await Promise.all([hanging(signal), Promise.reject(new Error("one side failed"))]);
        },
        { scoped: true },
      )
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ message: "one side failed" });
    expect(other?.aborted).toBe(true);
    expect(other?.reason).toMatchObject({ name: "AbortError", message: "the call it belonged to has ended" });
    // A call that returns normally ends the same way (nothing it needs is left running).
    let done: AbortSignal | undefined;
    const answer = await call.runCall(
      o,
      {},
      (signal) => {
        done = signal;
        return "answer";
      },
      { scoped: true },
    );
    expect(answer).toBe("answer");
    expect(done?.aborted).toBe(true);
    // An unscoped call's signal is the caller's: it is left as it was.
    let plain: AbortSignal | undefined;
    await call.runCall(o, {}, (signal) => {
      plain = signal;
    });
    expect(plain?.aborted).toBe(false);
  });

  it("a call made inside a scoped call, given no signal, ends with the scope: none starts after its deadline", async () => {
    useFakeTimeouts();
    const o = owner();
    const ran: string[] = [];
    let innerSignal: AbortSignal | undefined;
    const outcomes = await call.runCall(
      o,
      { deadlineMs: 1_000 },
      async () => {
        // Started before the deadline: its work hears the deadline through its own signal.
        const inner = call.runCall(o, {}, (signal) => {
          innerSignal = signal;
          return hanging(signal);
        });
        const before = inner.catch((error: unknown) => error);
        vi.advanceTimersByTime(1_000);
        const heard = innerSignal?.reason;
        // Started after it: refused before its work runs, a call or a listing alike.
        const after = await call.runCall(o, {}, () => ran.push("call")).catch((error: unknown) => error);
        const listing = await call
          .runItems(o, {}, async function* () {
            ran.push("listing");
            yield 1;
          })
          .toArray()
          .catch((error: unknown) => error);
        return { heard, after, listing, before };
      },
      { scoped: true },
    );
    expect(
      [outcomes.heard, outcomes.after, outcomes.listing].map((o) => o instanceof DeadlineExceededError),
    ).toEqual([true, true, true]);
    expect(ran).toEqual([]);
    expect(await outcomes.before).toBeInstanceOf(DeadlineExceededError);
  });
});
