import type { FastifyInstance } from "fastify";
import { realDelayMs } from "../core/clock/schedule-clock.ts";
import type { EmulatorContext } from "./context.ts";
import { emitMetrics } from "./events.ts";
import { FaultBoard } from "./faults.ts";
import { createEmulatorApp } from "./kernel.ts";
import type { ResolvedOptions } from "./options.ts";
import { installPipeline } from "./pipeline.ts";
import { createRng } from "./random.ts";
import { RateLimiter } from "./rate-limit.ts";
import { RequestLog } from "./request-log.ts";
import { registerAdminRoutes } from "./routes/admin.ts";
import { registerAnalyticsRoutes } from "./routes/analytics.ts";
import { registerDialerCampaignRoutes } from "./routes/dialer-campaigns.ts";
import { registerDialerSettingsRoutes } from "./routes/dialer-settings.ts";
import { registerDialerToolRoutes } from "./routes/dialer-tools.ts";
import { registerInteractionRoutes } from "./routes/interactions.ts";
import { registerOmnichannelCampaignRoutes } from "./routes/omnichannel-campaigns.ts";
import { registerOmnichannelContactRoutes } from "./routes/omnichannel-contacts.ts";
import { registerOmnichannelWebhookRoutes } from "./routes/omnichannel-webhooks.ts";
import { registerOutboundDispositionRoutes } from "./routes/outbound-dispositions.ts";
import { registerOutcomeRoutes } from "./routes/outcomes.ts";
import { registerTokenRoutes } from "./routes/token.ts";
import { EmulatorState } from "./state.ts";
import { TokenStore } from "./tokens.ts";
import { WebhookDispatcher } from "./webhooks.ts";

/** Builds the Fastify app and the emulator's context (not yet listening). */
export function buildServer(options: ResolvedOptions): {
  app: FastifyInstance;
  ctx: EmulatorContext;
  stop(): void;
} {
  const app = createEmulatorApp({ bodyLimit: 10 * 1024 * 1024 });

  const ctx: EmulatorContext = {
    options,
    state: new EmulatorState(options),
    tokens: new TokenStore(options.tokenTtlS),
    limiter: new RateLimiter(options.rateLimitScale),
    faults: new FaultBoard(() => createRng(options.seed, "faults")),
    log: new RequestLog(100_000),
    webhooks: new WebhookDispatcher(),
    routes: [],
    timers: new Set(),
  };

  installPipeline(app, ctx);
  registerTokenRoutes(app, ctx);
  registerOutboundDispositionRoutes(app, ctx);
  registerInteractionRoutes(app, ctx);
  registerOmnichannelCampaignRoutes(app, ctx);
  registerOmnichannelContactRoutes(app, ctx);
  registerOmnichannelWebhookRoutes(app, ctx);
  registerDialerCampaignRoutes(app, ctx);
  registerDialerSettingsRoutes(app, ctx);
  registerDialerToolRoutes(app, ctx);
  registerAnalyticsRoutes(app, ctx);
  registerOutcomeRoutes(app, ctx);
  registerAdminRoutes(app, ctx);

  // Active campaigns push their metrics to omnichannel webhooks on a clock, like the real feed.
  const ticker =
    options.metricsIntervalMs > 0
      ? setInterval(() => {
          if (ctx.state.omniWebhooks.length === 0) return;
          for (const campaign of ctx.state.campaigns.values()) {
            if (campaign.status === "active") emitMetrics(ctx, campaign);
          }
        }, realDelayMs(options.metricsIntervalMs)) // in the installed clock's time (CXO_CLOCK)
      : null;
  ticker?.unref();

  const stop = () => {
    if (ticker) clearInterval(ticker);
    for (const timer of ctx.timers) clearTimeout(timer);
    ctx.timers.clear();
    ctx.webhooks.close();
  };
  return { app, ctx, stop };
}
