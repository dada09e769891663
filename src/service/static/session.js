// @ts-check
// Who is signed in (GET /api/session) and the session's CSRF token, which every action sends in
// `x-csrf-token`. A viewer (or a board nobody signs in to) gets no action buttons; the API
// refuses their actions anyway.
/** @import { ActionAnswer, WhoAmIAnswer } from "../answers/panels.ts" */
import { apiPath } from "./state.js";

/** @type {WhoAmIAnswer | null} */
let current = null;

/** Who is signed in (a 401 leads to the sign-in page). */
export async function session() {
  const response = await fetch("/api/session", {
    headers: { accept: "application/json" },
    credentials: "same-origin",
  });
  if (response.status === 401) {
    location.assign("/sign-in");
    throw new Error("signed out");
  }
  current = response.ok ? await response.json() : null;
  renderWho();
  return current;
}

export const whoAmI = () => current;
export const canAct = () => current !== null && (current.role === "operator" || current.role === "admin");

function renderWho() {
  const box = document.getElementById("who");
  const who = current;
  if (!box || !who) return;
  box.hidden = false;
  box.replaceChildren();
  const name = document.createElement("span");
  name.dataset.role = "user";
  if (who.via === "open") {
    name.textContent = "read-only: nobody signs in to this board";
    name.title = "add users (service.users or cxo users add) to sign in and act";
    box.append(name);
    return;
  }
  name.textContent = `${who.user} (${who.role})`;
  box.append(name);
  if (who.via !== "session") return;
  const out = document.createElement("button");
  out.type = "button";
  out.className = "action";
  out.dataset.role = "sign-out";
  out.textContent = "Sign out";
  out.addEventListener("click", async () => {
    await fetch("/api/session", {
      method: "DELETE",
      headers: who.csrfToken ? { "x-csrf-token": who.csrfToken } : {},
      credentials: "same-origin",
    });
    location.assign("/sign-in");
  });
  box.append(out);
}

/**
 * What an action answers: done (`ok: true`), or the one shape of a refusal; `{message}` alone
 * when no answer came.
 * @typedef {ActionAnswer | { ok?: false, error?: string, message?: string, rule?: string, auditSeq?: number | null }} ActionOutcome
 */

/**
 * POSTs an action with the session's CSRF token; resolves with {status, body}.
 * @param {string} path
 * @param {Record<string, unknown>} [body]
 * @returns {Promise<{ status: number, body: ActionOutcome }>}
 */
export async function act(path, body = {}) {
  const response = await fetch(apiPath(path), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(current?.csrfToken ? { "x-csrf-token": current.csrfToken } : {}),
    },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  return { status: response.status, body: answer };
}
