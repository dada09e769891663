import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../core/clock/now.ts";
import { addAudit } from "../audit.ts";
import type { EmulatorContext } from "../context.ts";
import type { DialerSettingsBody } from "../data/model.ts";
import { algorithmSchema, concurrencySchema, DIALER_TYPES, regulatoryViolations } from "../dialer-config.ts";
import { ApiError, conflict, notFound, parseOr400 } from "../errors.ts";
import { emitDialer } from "../events.ts";
import { apiRoute } from "../http.ts";
import { createRng } from "../random.ts";
import { SCOPES } from "../scopes.ts";
import type { Operation } from "../state.ts";

/**
 * Seed 003: tenant-wide dialer settings with optimistic concurrency and asynchronous activation.
 * PUT needs `If-Match: <versionTag>` (missing → 428, stale → 412) and answers 202 with an
 * operation; the new settings (and their versionTag) take effect only when the operation
 * COMPLETES. Until then GET shows the old settings and `pendingOperationId`, and another PUT is
 * 409. An operation FAILS (old settings stay) when a fault says so or the config breaks a
 * regulatory limit.
 */
const settingsBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  type: z.enum(DIALER_TYPES),
  concurrency: concurrencySchema,
  algorithm: algorithmSchema,
  // Read-only fields a client may echo back from GET (the seed's rollback does): ignored.
  versionTag: z.unknown().optional(),
  updatedAt: z.unknown().optional(),
  pendingOperationId: z.unknown().optional(),
});

function presentOperation(op: Operation) {
  const { requested: _requested, requestedBy: _by, ...shown } = op;
  return shown;
}

type Failure = { code: string; message: string } | null;

export function registerDialerSettingsRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  registerGetSettings(app, ctx);
  registerPutSettings(app, ctx);
  registerGetOperation(app, ctx);
}

function registerGetSettings(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v1/dialer/settings",
      group: "dialer",
      scopes: SCOPES.dialerRead,
      summary: "The tenant's dialer settings (flat, with versionTag and pendingOperationId)",
      responses: { "200": "{versionTag, name, type, concurrency, algorithm, updatedAt, pendingOperationId}" },
    },
    () => ({ ...ctx.state.dialerSettings, pendingOperationId: ctx.state.pendingOperationId }),
  );
}

function registerPutSettings(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;
  // Version numbers count this app's accepted PUTs: the seeded settings are version 1.
  let versions = 1;
  apiRoute(
    app,
    ctx,
    {
      method: "PUT",
      url: "/api/v1/dialer/settings",
      group: "dialer",
      scopes: SCOPES.dialerWrite,
      summary: "Replace the dialer settings asynchronously (If-Match: versionTag)",
      body: settingsBody,
      responses: {
        "202": "{operationId, versionTag, status: IN_PROGRESS}",
        "400": "malformed settings",
        "409": "another settings operation is in progress",
        "412": "If-Match is not the current versionTag",
        "428": "If-Match missing",
      },
    },
    (request, reply, caller) => {
      const body = parseOr400(settingsBody, request.body, "body");
      checkIfMatch(ctx, request.headers["if-match"]);
      if (state.pendingOperationId) {
        throw conflict("operation_in_progress", "a settings operation is still in progress", {
          pendingOperationId: state.pendingOperationId,
        });
      }
      versions += 1;
      const op = startOperation(ctx, body, versions, caller.clientId);
      // Decide the fate now (the fault counts operations as they start), apply it later.
      const injected = ctx.faults.takeOperationFailure();
      const violations = regulatoryViolations(body.algorithm);
      const failure = injected
        ? { code: "ACTIVATION_FAILED", message: "the dialer rejected the configuration (injected fault)" }
        : violations.length > 0
          ? { code: "COMPLIANCE_VIOLATION", message: violations.map((v) => v.message).join("; ") }
          : null;
      const timer = setTimeout(() => {
        ctx.timers.delete(timer);
        finishOperation(ctx, op, failure);
      }, ctx.options.operationDelayMs);
      timer.unref();
      ctx.timers.add(timer);
      reply.header("location", `/api/v1/dialer/operations/${op.operationId}`);
      return reply
        .code(202)
        .send({ operationId: op.operationId, versionTag: op.versionTag, status: op.status });
    },
  );
}

/** If-Match must name the current versionTag: missing → 428, stale → 412. */
function checkIfMatch(ctx: EmulatorContext, header: string | undefined): void {
  if (header === undefined || header === "") {
    throw new ApiError(428, "precondition_required", "If-Match with the current versionTag is required");
  }
  // The tag is opaque; a quoted form ("v3-...") is the same tag.
  const tag = header.replace(/^"(.*)"$/, "$1");
  if (tag !== ctx.state.dialerSettings.versionTag) {
    throw new ApiError(412, "precondition_failed", "the settings changed since that versionTag was read", {
      currentVersionTag: ctx.state.dialerSettings.versionTag,
    });
  }
}

/** Records an IN_PROGRESS operation for the requested settings and makes it the pending one. */
function startOperation(
  ctx: EmulatorContext,
  body: z.infer<typeof settingsBody>,
  version: number,
  clientId: string,
): Operation {
  const { state } = ctx;
  const requested: DialerSettingsBody = {
    name: body.name ?? state.dialerSettings.name,
    type: body.type,
    concurrency: body.concurrency,
    algorithm: body.algorithm,
  };
  const op: Operation = {
    operationId: `op-${randomUUID()}`,
    status: "IN_PROGRESS",
    versionTag: `v${version}-${createRng(ctx.options.seed, `version:${version}`).hex(8)}`,
    createdAt: clockNowDate().toISOString(),
    completedAt: null,
    errorDetails: null,
    requested,
    requestedBy: clientId,
  };
  state.operations.set(op.operationId, op);
  state.pendingOperationId = op.operationId;
  addAudit(state, {
    entity: "dialer",
    action: "settings.update.requested",
    actor: clientId,
    versionTag: op.versionTag,
    details: { operationId: op.operationId, settings: requested },
  });
  return op;
}

/** Ends an operation: FAILED keeps the old settings; COMPLETED applies the new ones and says so. */
function finishOperation(ctx: EmulatorContext, op: Operation, failure: Failure): void {
  const { state } = ctx;
  op.completedAt = clockNowDate().toISOString();
  if (state.pendingOperationId === op.operationId) state.pendingOperationId = null;
  if (failure) {
    op.status = "FAILED";
    op.errorDetails = failure;
    addAudit(state, {
      entity: "dialer",
      action: "settings.update.failed",
      actor: op.requestedBy,
      versionTag: state.dialerSettings.versionTag,
      details: { operationId: op.operationId, error: failure },
    });
    return;
  }
  op.status = "COMPLETED";
  const previous = state.dialerSettings.versionTag;
  state.dialerSettings = { ...op.requested, versionTag: op.versionTag, updatedAt: op.completedAt };
  addAudit(state, {
    entity: "dialer",
    action: "settings.updated",
    actor: op.requestedBy,
    versionTag: op.versionTag,
    details: { operationId: op.operationId, previousVersionTag: previous },
  });
  emitDialer(ctx, "dialer.settings.updated", null, {
    operationId: op.operationId,
    versionTag: op.versionTag,
    previousVersionTag: previous,
    settings: state.dialerSettings,
  });
}

function registerGetOperation(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v1/dialer/operations/:operationId",
      group: "dialer",
      scopes: SCOPES.dialerRead,
      summary: "A settings operation: IN_PROGRESS, then COMPLETED or FAILED (errorDetails)",
      responses: {
        "200": "{operationId, status, versionTag, createdAt, completedAt, errorDetails}",
        "404": "unknown operation",
      },
    },
    (request) => {
      const { operationId } = request.params as { operationId: string };
      const op = ctx.state.operations.get(operationId);
      if (!op) throw notFound("operation", operationId);
      return presentOperation(op);
    },
  );
}
