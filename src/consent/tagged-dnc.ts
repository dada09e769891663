import type { Store } from "../core/store/index.ts";
import type { TagRequest } from "../dispositions/validate-row.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { CallDispositionResult, DispositionMatrix } from "../platform/types.ts";

/**
 * A do-not-call disposition tagged on a call is a revocation: recorded in the ledger as each row
 * is tagged (cxo refuses the number at once), and sent to the tenant's CXone DNC group once the
 * call's work is done (`honour`: one request for many rows, not one per row). A group CXone
 * cannot take them now is left to `cxo serve` or `cxo consent honour`, with a warning.
 */
export class TaggedRevocations {
  private readonly client: ClientContext;
  /** A revocation was recorded since the last `honour`. */
  private revoked = false;

  constructor(client: ClientContext) {
    this.client = client;
  }

  /** Records the tagged call's revocation when its disposition (or reason) is a do-not-call. */
  async record(
    store: Store,
    matrix: DispositionMatrix,
    campaignId: string,
    request: TagRequest,
    call: CallDispositionResult["call"],
  ): Promise<void> {
    const { client } = this;
    const code = matrix.codes.find((c) => c.id === request.dispositionCodeId);
    const { recordIfDncRequest } = await import("./dnc-request.ts");
    const result = await recordIfDncRequest(
      {
        store,
        actor: client.actor,
        cxoneGroupId: client.consent.cxoneDncGroup,
        agentDoNotCall: client.consent.agentDoNotCall,
      },
      {
        campaignId,
        callId: request.callId,
        phone: call.phone,
        at: call.startTime,
        facts: {
          code: request.dispositionCodeId,
          name: code?.name,
          reasonCode: request.reasonCodeId,
          reasonName: code?.reasonCodes.find((r) => r.id === request.reasonCodeId)?.name,
        },
        via: "cxo tag",
      },
    );
    if (result.recorded && result.added) this.revoked = true;
    else if (!result.recorded && result.reason === "no_phone")
      client.logger?.warn(
        { callId: request.callId, disposition: result.matched },
        "a do-not-call disposition was tagged but the platform did not say the call's number: record it with cxo consent revoke",
      );
  }

  /** Sends what was recorded since the last call to the tenant's CXone DNC group (a failure is a warning). */
  async honour(): Promise<void> {
    const { client } = this;
    if (!this.revoked || client.consent.cxoneDncGroup === undefined || !client.port.dncGroups) return;
    this.revoked = false;
    const { honourInCxone } = await import("./honour.ts");
    await honourInCxone(await client.store(), client.port.dncGroups, {
      actor: client.actor,
      groupId: client.consent.cxoneDncGroup,
    }).catch((error: unknown) =>
      client.logger?.warn(
        { err: error },
        "revocations recorded; the CXone DNC group is updated by cxo serve or cxo consent honour",
      ),
    );
  }
}
