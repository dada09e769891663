// Who is signed in (GET /api/session): filled in by the sign-in step.
export async function session() {
  return null;
}
