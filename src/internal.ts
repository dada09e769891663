/**
 * `cxone-outbound/internal`: the SDK's internals, for tools built close to this package. **Not a
 * stable API**: anything here may change in any release, minor and patch included. Pin an exact
 * version if you use it. The front door (`cxone-outbound`) is the stable API.
 *
 * The raw port is CXone's endpoints as typed functions (no journal, no local rules, no audit):
 *
 * ```ts
 * import { createClient } from "cxone-outbound";
 * import { portOf } from "cxone-outbound/internal";
 * const cxo = createClient({ connection });
 * for await (const call of portOf(cxo).outcomes.listCalls({ campaignId, from, to })) …
 * ```
 *
 * @packageDocumentation
 */

// First: on a Node older than the package needs, importing it says so (and loads nothing else).
import "./sdk/require-node.ts";

import { type CxoneClient, internalsOf } from "./client.ts";
import type { CxoneHttp } from "./core/http/create.ts";
import type { CxonePort } from "./platform/port.ts";

export type { CxoneHttp } from "./core/http/create.ts";
export type { CxonePort } from "./platform/port.ts";
export type * from "./platform/ports/access.ts";
export type * from "./platform/ports/campaigns.ts";
export type * from "./platform/ports/diagnosis.ts";
export type * from "./platform/ports/dialer.ts";
export type * from "./platform/ports/dispositions.ts";
export type * from "./platform/ports/dnc-groups.ts";
export type {
  DoctorFindings,
  DoctorPort,
  ScratchResult,
  ScratchRun,
  ScratchSnapshot,
} from "./platform/ports/doctor.ts";
export type * from "./platform/ports/interactions.ts";
export type * from "./platform/ports/lists.ts";
export type * from "./platform/ports/live.ts";
export type * from "./platform/ports/outcomes.ts";
export type * from "./platform/ports/scheduled-callbacks.ts";
export type { PlatformSupport, PortOperation } from "./platform/support.ts";

/** The raw port of a client made by `createClient` (the client itself has no `port`). */
export function portOf(client: CxoneClient): CxonePort {
  return internalsOf(client).port;
}

/**
 * The HTTP core of a client made by `createClient` (the client itself has no `core`): its events
 * (`coreOf(cxo).http.on(listener)`), rate-limiter state and token state.
 */
export function coreOf(client: CxoneClient): CxoneHttp {
  return internalsOf(client).core;
}
