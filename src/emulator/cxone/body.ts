import type { FastifyInstance } from "fastify";

/**
 * What the production-API emulator takes as a request body: what the platform NICE's own client
 * runs against takes (independent-clients.md §6). NICE's agent SDK posts its JSON bodies (tags,
 * agent-session join, disposition and end) with no `Content-Type`, so fetch labels them
 * `text/plain;charset=UTF-8`, and posts its refresh grant as a form labelled
 * `application/json`; the platform answers both. So a body is read by what it holds, not by its
 * label: a form when labelled as one, else JSON whatever the label (none included); a body that
 * is neither stays an `UnreadBody`, which an API route refuses (400, as malformed JSON always
 * was) and the token endpoint reads as a form. The seed API's emulator keeps its own, strict
 * parsers (kernel.ts).
 */
export class UnreadBody {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

const FORM = "application/x-www-form-urlencoded";

function mediaTypeOf(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** A body's value: the form's fields, the JSON document, undefined when empty, else `UnreadBody`. */
export function readBody(contentType: string | undefined, text: string): unknown {
  if (mediaTypeOf(contentType) === FORM) return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return new UnreadBody(text);
  }
}

/** Replaces the app's body parsers (Fastify's strict JSON one, the kernel's form one) with `readBody`. */
export function installCxoneBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (request, body, done) => {
    done(null, readBody(request.headers["content-type"], body as string));
  });
}

/**
 * A token request's form fields, whatever the body's label (NICE's refresh grant is a form
 * labelled `application/json`); null when the body is a JSON document or nothing (RFC 6749 takes
 * only forms).
 */
export function formFieldsOf(contentType: string | undefined, body: unknown): Record<string, string> | null {
  if (mediaTypeOf(contentType) === FORM)
    return body && typeof body === "object" ? (body as Record<string, string>) : {};
  if (body instanceof UnreadBody && body.text.includes("="))
    return Object.fromEntries(new URLSearchParams(body.text.trim()));
  return null;
}
