import { createRequire } from "node:module";
import type * as Undici from "undici";

/**
 * The three undici dispatchers the project uses, loaded from their own files. undici's index
 * loads ~110 modules (mock agents, cache stores, WebSocket, fetch, …): about 130 ms of CPU in
 * every `cxo` run, a quarter of a short command's. The one thing the index does that these
 * need is to give every dispatcher the request API (`agent.request(…)`); that is done here,
 * the same way. If undici is imported whole elsewhere in the process, it does the same again.
 * package.json pins the package to patch releases (~), since these paths are not its API.
 */
const require = createRequire(import.meta.url);
const Dispatcher = require("undici/lib/dispatcher/dispatcher.js") as { prototype: object };
Object.assign(Dispatcher.prototype, require("undici/lib/api/index.js"));

export const Agent = require("undici/lib/dispatcher/agent.js") as typeof Undici.Agent;
export type Agent = Undici.Agent;
export const ProxyAgent = require("undici/lib/dispatcher/proxy-agent.js") as typeof Undici.ProxyAgent;
export const EnvHttpProxyAgent =
  require("undici/lib/dispatcher/env-http-proxy-agent.js") as typeof Undici.EnvHttpProxyAgent;
