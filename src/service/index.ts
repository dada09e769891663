export type { Announce, Announcement } from "./announce.ts";
export { isLoopbackHost } from "./bind-safety.ts";
export type {
  CampaignView,
  IdleView,
  LiveView,
  MetricPoint,
  PacingPoint,
  PacingView,
} from "./campaign-board.ts";
export type { RateFigure, RateId } from "./rate-figures.ts";
export { WEBHOOK_PATH } from "./routes/webhooks.ts";
export { type RunningService, type StartServiceOptions, startService } from "./start-service.ts";
