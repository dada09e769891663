import type { FastifyInstance } from "fastify";
import { clockNowMs } from "../../core/clock/now.ts";
import { FaultBoard } from "../faults.ts";
import { createEmulatorApp } from "../kernel.ts";
import { createRng } from "../random.ts";
import { RequestLog } from "../request-log.ts";
import { installCxoneBodyParser } from "./body.ts";
import type { CxoneContext } from "./context.ts";
import type { CxoneResolvedOptions } from "./options.ts";
import { canonicalUrl, installCxonePipeline } from "./pipeline.ts";
import { registerCxoneAdminRoutes } from "./routes/admin.ts";
import { registerCallbackAdminRoutes } from "./routes/admin-callbacks.ts";
import { registerCallerIdAdminRoutes } from "./routes/admin-callerid.ts";
import { registerListAdminRoutes } from "./routes/admin-lists.ts";
import { registerAgentSessionRoutes } from "./routes/agent-sessions.ts";
import { registerAuthRoutes } from "./routes/auth.ts";
import { registerCompletedRoutes } from "./routes/completed.ts";
import { registerContactRoutes } from "./routes/contacts.ts";
import { registerDispositionRoutes } from "./routes/dispositions.ts";
import { registerDncGroupRoutes } from "./routes/dnc-groups.ts";
import { registerListRoutes } from "./routes/lists.ts";
import { registerLiveRoutes } from "./routes/live.ts";
import { registerMiscRoutes } from "./routes/misc.ts";
import { registerParameterRoutes } from "./routes/parameters.ts";
import { registerScheduledCallbackRoutes } from "./routes/scheduled-callbacks.ts";
import { registerSkillTagRoutes } from "./routes/skill-tags.ts";
import { registerSkillRoutes } from "./routes/skills.ts";
import { registerTagRoutes } from "./routes/tags.ts";
import { registerUserHubRoutes } from "./routes/userhub.ts";
import { registerWfmRoutes } from "./routes/wfm.ts";
import { CxoneState } from "./state.ts";
import { CxoneTokens } from "./tokens.ts";
/** Builds the production-API emulator's Fastify app and context (not yet listening). */
export function buildCxoneServer(options: CxoneResolvedOptions): { app: FastifyInstance; ctx: CxoneContext } {
  const app = createEmulatorApp({
    bodyLimit: 50 * 1024 * 1024,
    // `inContactAPI` and the version's `V` come in any case (NICE's own SDK mixes them).
    rewriteUrl: (request) => canonicalUrl(request.url ?? "/"),
  });
  // JSON whatever its label, as the platform NICE's SDK runs against takes it (body.ts).
  installCxoneBodyParser(app);

  const ctx: CxoneContext = {
    options,
    state: new CxoneState(options, options.windowEnd ? Date.parse(options.windowEnd) : clockNowMs()),
    tokens: new CxoneTokens(options.tokenTtlS, options.refreshTtlS),
    faults: new FaultBoard(() => createRng(options.seed, "cxone-faults")),
    log: new RequestLog(100_000),
  };

  installCxonePipeline(app, ctx);
  registerAuthRoutes(app, ctx);
  registerUserHubRoutes(app, ctx);
  registerDispositionRoutes(app, ctx);
  registerCompletedRoutes(app, ctx);
  // Before the skill routes only for readability: static segments win over `:skillId` anyway.
  registerLiveRoutes(app, ctx);
  registerSkillRoutes(app, ctx);
  registerParameterRoutes(app, ctx);
  registerTagRoutes(app, ctx);
  registerSkillTagRoutes(app, ctx);
  registerContactRoutes(app, ctx);
  registerAgentSessionRoutes(app, ctx);
  registerListRoutes(app, ctx);
  registerWfmRoutes(app, ctx);
  registerMiscRoutes(app, ctx);
  registerDncGroupRoutes(app, ctx);
  registerScheduledCallbackRoutes(app, ctx);
  registerCxoneAdminRoutes(app, ctx);
  registerListAdminRoutes(app, ctx);
  registerCallerIdAdminRoutes(app, ctx);
  registerCallbackAdminRoutes(app, ctx);
  return { app, ctx };
}
