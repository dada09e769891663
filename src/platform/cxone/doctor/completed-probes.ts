import { clockNowMs } from "../../../core/clock/now.ts";
import { pathOf } from "../../../core/http/http-client.ts";
import type { DoctorEvidence } from "../../ports/doctor.ts";
import { isObject, listOf, num, type Raw, text } from "../tolerant.ts";
import { evidenceOf, ok, type ProbeAnswer } from "./probe-call.ts";
import {
  get,
  iso,
  type Observation,
  ORDER_KEYS,
  type ProbeAnswerQuery,
  type ReadContext,
  seen,
  serverNow,
  untold,
} from "./read-context.ts";

// The completed-contacts listing (/contacts/completed) and its page cap.

/** A completed contact as the probes need it. */
interface Contact {
  id: string;
  startMs: number;
  updateMs: number;
}

function contactOf(row: Raw): Contact | undefined {
  const id = text(row.contactId);
  const startMs = Date.parse(text(row.contactStartDate) ?? text(row.contactStart) ?? "");
  const updateMs = Date.parse(text(row.lastUpdateTime) ?? "");
  if (!id || !Number.isFinite(startMs)) return undefined;
  return { id, startMs, updateMs: Number.isFinite(updateMs) ? updateMs : startMs };
}

const DAY_MS = 86_400_000;

/** `/contacts/completed`: orderBy keys, the page cap, the date filter, the lag, "nothing new", one contact's envelope. */
export async function probeCompleted(ctx: ReadContext): Promise<Observation[]> {
  const out: Observation[] = [];
  const completed = (query: ProbeAnswerQuery) =>
    get(ctx, "/contacts/completed", "GET /contacts/completed", query);
  const rows = (answer: ProbeAnswer) => listOf(answer.body, "completedContacts");
  const total = (answer: ProbeAnswer) => num(isObject(answer.body) ? answer.body.totalRecords : undefined);

  // orderBy: each key the adapter may send, over the last day, one record each.
  const nowMs = clockNowMs();
  const first = await completed({ startDate: iso(nowMs - DAY_MS), endDate: iso(nowMs), top: 1 });
  const now = serverNow(first);
  const day = { startDate: iso(now - DAY_MS), endDate: iso(now) };
  const accepted: string[] = [];
  const orderEvidence: DoctorEvidence[] = [];
  let dayTotal: number | undefined;
  for (const key of ORDER_KEYS) {
    const answer = await completed({ ...day, orderBy: `${key} asc`, top: 1 });
    orderEvidence.push(evidenceOf(answer, ok(answer) ? { totalRecords: total(answer) ?? null } : undefined));
    if (ok(answer)) {
      accepted.push(key);
      dayTotal ??= total(answer) ?? rows(answer).length;
    }
  }
  out.push(seen("orderByKeys", accepted, orderEvidence));

  // The newest listed contact: the warehouse lag, and a contact to probe the date filter with.
  let newest: Contact | undefined;
  if (accepted.includes("contactStartDate") && dayTotal !== undefined && dayTotal > 0) {
    const answer = await completed({ ...day, orderBy: "contactStartDate asc", skip: dayTotal - 1, top: 1 });
    const row = rows(answer)[0];
    newest = row ? contactOf(row) : undefined;
    if (newest) {
      const age = Math.round((now - newest.startMs) / 1000);
      const evidence = [
        evidenceOf(answer, { contactStartDate: iso(newest.startMs), totalRecords: dayTotal }),
      ];
      out.push(
        dayTotal < 100
          ? untold(
              "warehouseLagS",
              `only ${dayTotal} contacts in the last day: the newest one's age (${age} s) may be a quiet period, not the lag`,
              evidence,
            )
          : seen("warehouseLagS", age, evidence),
      );
    } else
      out.push(
        untold("warehouseLagS", "the newest contact of the last day could not be read", [evidenceOf(answer)]),
      );
  } else
    out.push(
      untold(
        "warehouseLagS",
        dayTotal === 0
          ? "no contact completed in the last day"
          : "contactStartDate is not an accepted orderBy key here",
      ),
    );

  // Which timestamp the dates filter, then whether endDate includes its instant.
  if (newest && newest.updateMs - newest.startMs >= 1000) {
    const onUpdate = await completed({
      startDate: iso(newest.updateMs),
      endDate: iso(newest.updateMs + 1000),
      top: 100,
    });
    const found = rows(onUpdate).some((r) => text(r.contactId) === newest.id);
    const field = ok(onUpdate) ? (found ? "lastUpdateTime" : "contactStartDate") : null;
    out.push(seen("dateFilterField", field, [evidenceOf(onUpdate, { contactId: newest.id, listed: found })]));
    if (field) {
      const at = field === "lastUpdateTime" ? newest.updateMs : newest.startMs;
      const ending = await completed({ startDate: iso(at - 1000), endDate: iso(at), top: 100 });
      const listed = rows(ending).some((r) => text(r.contactId) === newest.id);
      out.push(
        seen("endDateInclusive", ok(ending) ? listed : null, [
          evidenceOf(ending, { contactId: newest.id, listed }),
        ]),
      );
    } else out.push(untold("endDateInclusive", "the date filter's field is not known"));
  } else {
    const why = newest
      ? "the newest contact was updated within a second of its start"
      : "no contact to probe with";
    out.push(untold("dateFilterField", why), untold("endDateInclusive", why));
  }

  // Nothing new since now: 304, or an empty 204.
  const unchanged = await completed({ updatedSince: iso(now), orderBy: "lastUpdateTime asc", top: 1 });
  out.push(
    [304, 204].includes(unchanged.status)
      ? seen("unchangedStatus", unchanged.status, [evidenceOf(unchanged, null)])
      : untold(
          "unchangedStatus",
          `answered ${unchanged.status}${rows(unchanged).length > 0 ? " with records (changes since now?)" : ""}`,
          [evidenceOf(unchanged, null)],
        ),
  );

  out.push(...(await probePageCap(ctx, completed, rows, total)));

  // One contact's own read: its envelope.
  if (newest) {
    const answer = await get(ctx, pathOf`/contacts/${newest.id}`, "GET /contacts/{contactId}");
    const body = isObject(answer.body) ? answer.body : {};
    const envelope = !ok(answer)
      ? null
      : isObject(body.contactId)
        ? "wrapped"
        : Array.isArray(body.contacts)
          ? "contacts"
          : Array.isArray(body.completedContacts)
            ? "completedContacts"
            : "contactId" in body
              ? "flat"
              : null;
    out.push(seen("contactEnvelope", envelope, [evidenceOf(answer, { keys: Object.keys(body) })]));
  } else out.push(untold("contactEnvelope", "no completed contact to read"));
  return out;
}

/** Sizes to try when a page above the cap is refused: the configured one, then smaller. */
const FALLBACK_SIZES = [1000, 500, 100, 50, 10];

async function probePageCap(
  ctx: ReadContext,
  completed: (query: ProbeAnswerQuery) => Promise<ProbeAnswer>,
  rows: (answer: ProbeAnswer) => Raw[],
  total: (answer: ProbeAnswer) => number | undefined,
): Promise<Observation[]> {
  const all = { startDate: iso(clockNowMs() - 30 * DAY_MS), endDate: iso(clockNowMs()), fields: "contactId" };
  const above = await completed({ ...all, top: 10_001 });
  const evidence = [
    evidenceOf(
      above,
      ok(above) ? { records: rows(above).length, totalRecords: total(above) ?? null } : undefined,
    ),
  ];
  if (ok(above)) {
    const n = rows(above).length;
    const t = total(above) ?? n;
    if (n > 10_000)
      return [
        untold(
          "topCap",
          "a page of 10,001 came back whole: the cap is above the documented 10,000",
          evidence,
        ),
        untold("topOverCap", "not reached"),
      ];
    if (n < Math.min(10_001, t)) return [seen("topCap", n, evidence), seen("topOverCap", "clamp", evidence)];
    return [
      untold("topCap", `only ${t} contacts in 30 days: fewer than the cap`, evidence),
      untold("topOverCap", "not reached", evidence),
    ];
  }
  // Refused: find a size it takes, from the configured one down (a lower bound on the cap).
  for (const size of [...new Set([ctx.settings.pageSize, ...FALLBACK_SIZES])].sort((a, b) => b - a)) {
    const answer = await completed({ ...all, top: size });
    evidence.push(evidenceOf(answer, ok(answer) ? { records: rows(answer).length } : undefined));
    if (ok(answer))
      return [
        size >= ctx.settings.pageSize
          ? untold(
              "topCap",
              `a page of 10,001 is refused and one of ${size} (the configured page size) taken: the cap is between them`,
              evidence,
            )
          : seen(
              "topCap",
              size,
              evidence,
              `pages of ${size} are taken; the exact cap is between ${size} and the next size tried`,
            ),
        seen("topOverCap", "reject", evidence),
      ];
  }
  return [
    untold("topCap", "every page size tried was refused", evidence),
    seen("topOverCap", "reject", evidence),
  ];
}

/** Admin lists (`/tags`): the page cap, and whether `skip` is honoured. */
