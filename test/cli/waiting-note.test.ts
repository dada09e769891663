import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loginWaitingNote, noteWhileWaiting, WAITING_NOTE_MS } from "../../src/cli/waiting-note.ts";

/**
 * Issue 29: `auth check` against an issuer that accepts the connection and never answers was
 * silent until the deadline. It says what it is waiting for after WAITING_NOTE_MS (fake timers:
 * no test waits on the wall clock).
 */
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A step that answers when told to. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe("noteWhileWaiting", () => {
  it("a step still waiting after 2 s gets one note; the step goes on and its answer is returned", async () => {
    const step = pending<string>();
    const note = vi.fn();
    const result = noteWhileWaiting(step.promise, note);
    await vi.advanceTimersByTimeAsync(WAITING_NOTE_MS - 1);
    expect(note).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(note).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(note).toHaveBeenCalledTimes(1);
    step.resolve("token OK");
    await expect(result).resolves.toBe("token OK");
    expect(WAITING_NOTE_MS).toBe(2000);
  });

  it("a step that answers in time says nothing, even later", async () => {
    const step = pending<number>();
    const note = vi.fn();
    const result = noteWhileWaiting(step.promise, note);
    await vi.advanceTimersByTimeAsync(1500);
    step.resolve(1);
    await expect(result).resolves.toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(note).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a step that fails (its deadline) fails as it did, and no note comes after it", async () => {
    const step = pending<never>();
    const note = vi.fn();
    const result = noteWhileWaiting(step.promise, note);
    const failed = expect(result).rejects.toThrow(/no answer from issuer\.example:8443/);
    await vi.advanceTimersByTimeAsync(WAITING_NOTE_MS);
    step.reject(new Error("no answer from issuer.example:8443 within 30 s"));
    await failed;
    expect(note).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the note names the host and what is awaited", () => {
    expect(loginWaitingNote("https://cxone.niceincontact.com/auth")).toBe(
      "waiting for cxone.niceincontact.com: logging in and finding the tenant's API…",
    );
    expect(loginWaitingNote("http://127.0.0.1:45871")).toContain("waiting for 127.0.0.1:45871");
  });
});
