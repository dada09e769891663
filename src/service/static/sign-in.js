// @ts-check
// The sign-in form: POST /api/session as JSON; the answer sets the session cookie (HttpOnly,
// so this page never sees it) and the board takes over.
const form = /** @type {HTMLFormElement & { user: HTMLInputElement, password: HTMLInputElement }} */ (
  document.getElementById("sign-in")
);
const error = /** @type {HTMLElement} */ (document.getElementById("sign-in-error"));
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const body = { user: form.user.value.trim(), password: form.password.value };
  try {
    const response = await fetch("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    if (response.ok) {
      location.assign("/");
      return;
    }
    /** @type {{ message?: string }} */
    const answer = await response.json().catch(() => ({}));
    error.textContent = answer.message || `Sign-in failed (HTTP ${response.status})`;
    form.password.value = "";
    form.password.focus();
  } catch (e) {
    error.textContent = `The service did not answer: ${e instanceof Error ? e.message : String(e)}`;
  }
});
