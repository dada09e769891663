/**
 * Calls the emulator's admin API (`/_emulator/...`: fixtures, request log, faults, forced
 * metrics) and returns the parsed JSON answer, or null for an empty one.
 */
export async function adminCall(baseUrl: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${baseUrl}/_emulator${route}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}
