import { hasControls } from "./printable.ts";

/**
 * The one rule for who is acting, as an audit record names them (`cli:olivia@host as
 * cron:nightly`, an SDK client's `actor`): not blank, no control characters (a line break or a
 * cursor move would forge a line of the audit's human output, a bidirectional override reorder
 * it), at most `max` characters. Any script is a name: `cli:josé@hôte as cron:nächtlich`.
 */
export function isActorText(text: unknown, max: number): text is string {
  return typeof text === "string" && text.trim() !== "" && text.length <= max && !hasControls(text);
}

/** A role given to the CLI (`--actor`, CXO_ACTOR), beside the person it adds itself. */
export const ACTOR_ROLE_MAX = 128;

/**
 * An SDK client's whole actor: the CLI's person (`cli:` + the OS user + `@` + the host name, up
 * to 253 characters) and its role fit.
 */
export const ACTOR_MAX = 512;
