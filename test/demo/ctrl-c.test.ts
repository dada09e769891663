import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { spawnCli } from "../support/run-cli.ts";

/**
 * Issue 64 §4: Ctrl-C during the demo stops the day at the step under way — that step ends (or
 * is left with its journaled work pending), the emulator and the dashboard close, the narration
 * says where it stopped, exit 130. A real SIGINT to a real `cxo demo` process. The assertions
 * are on the exit code and the output: stopped in step 3 or at the start of step 4, and step 5
 * never begun (a demo that ignored Ctrl-C until the day ended would narrate every step). How
 * soon it stops (the 2 s promise) is not asserted: 10 s was missed on a loaded machine (issue 93
 * §4); the timers below only end a hang.
 */
it("a real SIGINT in the middle of the day stops it at that step: exit 130, narrated, nothing after", async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "cxo-demo-sigint-")), "demo");
  const demo = spawnCli(["demo", "--fast", "--out", out]);
  // Step 3 waits for CXone's settings operations (seconds each): a step in flight when Ctrl-C comes.
  await new Promise<void>((resolve, reject) => {
    const bound = setTimeout(
      () => reject(new Error(`step 3 never began:\n${demo.out()}\n${demo.err()}`)),
      90_000,
    );
    demo.child.stdout?.on("data", () => {
      if (demo.out().includes("━━ 3/9")) {
        clearTimeout(bound);
        resolve();
      }
    });
    demo.exit.then(() => reject(new Error(`the demo ended first:\n${demo.out()}\n${demo.err()}`)));
  });
  demo.child.kill("SIGINT");
  const bound = setTimeout(() => demo.child.kill("SIGKILL"), 60_000);
  const [code, signal] = await demo.exit;
  clearTimeout(bound);
  expect({ code, signal }, demo.err()).toEqual({ code: 130, signal: null });
  expect(demo.out()).toMatch(/Stopped \(Ctrl-C\) (in|before) step [34]\/9 "[^"]+": steps 1–[23] done/);
  expect(demo.out()).toMatch(/Emulator and dashboard stopped\./);
  expect(demo.out()).not.toContain("━━ 5/9");
  expect(demo.out().trimEnd().split("\n").at(-1)).toMatch(/Emulator and dashboard stopped\.$/);
}, 150_000);
