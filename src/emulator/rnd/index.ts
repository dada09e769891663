import { clockNowMs } from "../../core/clock/now.ts";
import { FaultBoard } from "../faults.ts";
import { createEmulatorApp, listen } from "../kernel.ts";
import { createRng } from "../random.ts";
import { RequestLog } from "../request-log.ts";
import { TokenStore } from "../tokens.ts";
import { registerRndAdminRoutes } from "./admin.ts";
import { defaultDataAsOf, RndDatabase } from "./database.ts";
import { type RndEmulatorOptions, resolveRndOptions } from "./options.ts";
import { installRndPipeline } from "./pipeline.ts";
import { registerRndApiRoutes } from "./routes.ts";
import { type RndCaller, type RndContext, releaseHeld, rndCaller } from "./state.ts";

export type { RndEmulatorOptions } from "./options.ts";

/**
 * The third local emulator (issue 79 §3): the FCC's Reassigned Numbers Database, in-process, for
 * tests and `npm start`. docs/emulator-rnd.md: routes, shapes (each sourced or marked assumed),
 * faults, admin routes.
 */
export interface RunningRndEmulator {
  platform: "rnd";
  url: string;
  port: number;
  fixtures: RndCaller & { url: string; dataAsOf: string };
  close(): Promise<void>;
}

export async function startRndEmulator(options: RndEmulatorOptions = {}): Promise<RunningRndEmulator> {
  const resolved = resolveRndOptions(options);
  const app = createEmulatorApp({ bodyLimit: 10 * 1024 * 1024 });
  const ctx: RndContext = {
    options: resolved,
    db: new RndDatabase({
      seed: resolved.seed,
      disconnectRate: resolved.disconnectRate,
      dataAsOf: resolved.dataAsOf ?? defaultDataAsOf(clockNowMs()),
    }),
    tokens: new TokenStore(resolved.tokenTtlS),
    faults: new FaultBoard(() => createRng(resolved.seed, "rnd-faults")),
    log: new RequestLog(100_000),
    caller: rndCaller(resolved.seed),
    asked: [],
    answers: new Map(),
    hold: null,
    held: new Set(),
    queries: 0,
  };
  installRndPipeline(app, ctx);
  registerRndApiRoutes(app, ctx);
  registerRndAdminRoutes(app, ctx);
  const listening = await listen(app, resolved, () => releaseHeld(ctx));
  return {
    platform: "rnd",
    ...listening,
    fixtures: { ...ctx.caller, url: listening.url, dataAsOf: ctx.db.dataAsOf },
  };
}
