import type { CxoneHttp } from "../core/http/create.ts";
import type { CxonePort } from "../platform/port.ts";
import type { CxoneBaseClient, CxoneClient, InternalClient } from "./client-types.ts";
import type { ClientRuntime } from "./runtime.ts";

/**
 * A client's internals (its raw port and HTTP core), kept beside the client rather than on it: a
 * client made by `createClient` has no `port` or `core` property to find by enumerating it or to
 * come to depend on. This package's CLI, service and tests reach them through `internalsOf`
 * (and users through `cxone-outbound/internal`, which is not a stable API).
 */
interface Internals {
  port: CxonePort;
  core: CxoneHttp;
  /** What its capability groups share (its store, settings): another client's groups may need it (scope `all`). */
  runtime?: ClientRuntime;
  /** The client with its internals as properties, made once. */
  view?: InternalClient;
}

const INTERNALS = new WeakMap<object, Internals>();

/** Records the internals of a client `buildClient` made. */
export function registerInternals(
  client: CxoneBaseClient,
  internals: { port: CxonePort; core: CxoneHttp; runtime?: ClientRuntime },
): void {
  INTERNALS.set(client, { ...internals });
}

/** The internals of a client made by `createClient` (TypeError for anything else). */
export function internalsOf(client: CxoneClient): InternalClient {
  const internals = INTERNALS.get(client);
  if (!internals) throw new TypeError("not a client made by createClient");
  if (!internals.view) {
    // The same groups, store and close as the client, plus the two internals.
    const view: InternalClient = { ...client, port: internals.port, core: internals.core };
    internals.view = view;
    INTERNALS.set(view, internals);
  }
  return internals.view;
}

/** The runtime of a client made by `createClient` (TypeError for anything else). */
export function runtimeOf(client: CxoneBaseClient): ClientRuntime {
  const runtime = INTERNALS.get(client)?.runtime;
  if (!runtime) throw new TypeError("not a client made by createClient");
  return runtime;
}
