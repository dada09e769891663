export type { CallerIdHealthParams } from "../callerid/of-client.ts";

import type { CallerIdHealthParams } from "../callerid/of-client.ts";
import type { CallerIdHealthRow } from "../callerid/types.ts";
import { runCall } from "./call.ts";
import { type ClientRuntime, paramsOf, type RequestOptions } from "./runtime.ts";

export interface CallerIdGroup {
  /** One row per number (per carrier when split): the DESIGN.md contract. Bad input: InputError naming the field. */
  health(params: CallerIdHealthParams, options?: RequestOptions): Promise<CallerIdHealthRow[]>;
}

/**
 * The group of a client; without one (`runtime` undefined) a file or a dataset is read as well,
 * and the campaign's own outcomes are refused: reading them needs CXone. (A client without a
 * connection is a client: its port refuses the campaign's outcomes with ConnectionMissingError.)
 */
export function callerIdGroup(runtime?: ClientRuntime): CallerIdGroup {
  return {
    health: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const { callerIdHealthOfClient } = await import("../callerid/of-client.ts");
        return callerIdHealthOfClient(runtime, paramsOf(params), signal);
      }),
  };
}
