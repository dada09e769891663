import type { ConnectionMissingError } from "../core/connection-missing-error.ts";
import { InputError } from "../core/input-error.ts";
import type { NotSupportedError } from "../platform/errors.ts";
import type { CxonePort } from "../platform/port.ts";
import type { PortOperation } from "../platform/support.ts";

/**
 * The operations a platform may not offer (`client.unsupported`'s question), each named once
 * here so a name the platforms do not know is bad input rather than an answer of "supported".
 */
const OPERATIONS: Record<PortOperation, true> = {
  "campaigns.subscribe": true,
  "interactions.replaceDispositions": true,
  "dialer.auditLog": true,
  "dialer.livePacing": true,
  "campaigns.listContacts.consentOnly": true,
  "outcomes.changedCalls": true,
  "lists.timed": true,
  dncGroups: true,
  scheduledCallbacks: true,
};

/**
 * `client.unsupported(operation)`: the refusal the operation would end in on the client's
 * platform (nothing sent), or undefined when the platform offers it. Answered locally, from the
 * platform's support table; an unknown operation is an InputError naming `operation`.
 */
export function unsupportedOn(
  port: CxonePort,
  operation: PortOperation,
): NotSupportedError | ConnectionMissingError | undefined {
  if (typeof operation !== "string" || !Object.hasOwn(OPERATIONS, operation))
    throw new InputError({
      field: "operation",
      rule: `must be one of: ${Object.keys(OPERATIONS).join(", ")}`,
    });
  return port.support.unsupported(operation);
}
