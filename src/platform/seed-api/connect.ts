import type { CxoneConnection } from "../../core/config/load.ts";
import { type CxoneHttp, createCxoneHttp, type SharedHttpOptions } from "../../core/http/create.ts";
import type { CxonePort } from "../port.ts";
import { createSeedApiPort } from "./adapter.ts";

/**
 * A client's way to the seed API: client credentials at the token URL, requests relative to the
 * base URL. A file of its own so that a client of the other platform never loads this adapter.
 */
export function connectSeedApi(
  connection: CxoneConnection,
  core: SharedHttpOptions,
): { core: CxoneHttp; port: CxonePort } {
  const http = createCxoneHttp({ ...core, connection });
  return { core: http, port: createSeedApiPort(http.http, http.tokens, connection.clientId) };
}
