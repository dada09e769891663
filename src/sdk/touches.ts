import type { TouchImportSummary } from "../compliance/touches-import.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { requiredPathOf } from "../core/params.ts";
import { runCall } from "./call.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";
/** `touches.import`'s parameters. */
export interface TouchImport {
  /**
   * A `.csv` (comma or semicolon) or `.ndjson` file of touches made elsewhere: columns `phone, at,
   * channel, account?, campaign?, seller?, answered?, voice?, purpose?, message?`; channels `call
   * | sms | email | callback | voicemail`; `at` ISO-8601 with an offset, never in the future;
   * `voice` a call's `live | prerecorded | ai`; `purpose` `revocation-confirmation` (the one text
   * confirming a revocation by text). A row with a `message` (at most 10 kB) is the consumer's
   * inbound text: a revocation when its words say so (recorded in the consent ledger), a
   * message for review when unclear (`consent.review`), never a touch.
   */
  file: string;
}

export interface TouchesGroup {
  /**
   * Records touches made elsewhere (an SMS platform, an email tool, another dialer) so that every
   * cap counts them: `compliance.check`, `strategy.plan` and `strategy.push`. The
   * whole file is checked first: any bad row is an InputError naming its line and field, and
   * nothing is recorded. Importing the same rows again adds nothing. Local only: nothing is sent
   * to CXone.
   */
  import(params: TouchImport, options?: RequestOptions): Promise<TouchImportSummary>;
}

export function touchesGroup(runtime: ClientRuntime): TouchesGroup {
  return {
    import: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const file = requiredPathOf(params, "file", "is required: a .csv or .ndjson file of touches");
        const { importTouches } = await import("../compliance/touches-import.ts");
        const store = await runtime.store();
        return importTouches(store, file, {
          nowMs: clockNowMs(),
          actor: runtime.actor,
          signal,
          cxoneDncGroup: runtime.consent.cxoneDncGroup,
        });
      }),
  };
}
