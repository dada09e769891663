import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { EmulatorContext } from "../context.ts";
import type { Contact } from "../data/contacts.ts";
import { badRequest, notFound, parseOr400 } from "../errors.ts";
import { apiRoute, lastValue } from "../http.ts";
import { SCOPES } from "../scopes.ts";

/**
 * Seed 002: contact list segmentation. `query` is `true` or `field==value` terms joined by `;`
 * (all must hold); anything else is 400 so a typo never silently returns everyone. A consent
 * term excludes contacts that have no consent flags at all. Pages are 1-based.
 */
type Predicate = (contact: Contact) => boolean;

const BOOLEAN_FIELDS: Record<string, (c: Contact) => boolean | undefined> = {
  "consentFlags.outbound.call": (c) => c.consentFlags?.outbound.call,
  "consentFlags.outbound.sms": (c) => c.consentFlags?.outbound.sms,
};
const TEXT_FIELDS: Record<string, (c: Contact) => string | undefined> = {
  id: (c) => c.id,
  firstName: (c) => c.firstName,
  lastName: (c) => c.lastName,
  phone: (c) => c.phone,
  state: (c) => c.state,
  timeZone: (c) => c.timeZone,
};
const SORTABLE = ["id", "firstName", "lastName", "phone", "state", "timeZone", "lastModifiedTime"] as const;

export function parseContactQuery(query: string): Predicate {
  const text = query.trim();
  if (text === "" || text === "true") return () => true;
  const predicates: Predicate[] = text.split(";").map((term) => {
    const match = /^\s*([A-Za-z][A-Za-z.]*)\s*==\s*(.*?)\s*$/.exec(term);
    if (!match)
      throw badRequest(`unsupported query term "${term}": use field==value terms joined by ';', or true`);
    const field = match[1] as string;
    const value = match[2] as string;
    const bool = BOOLEAN_FIELDS[field];
    if (bool) {
      if (value !== "true" && value !== "false")
        throw badRequest(`${field} takes true or false, not "${value}"`);
      const wanted = value === "true";
      return (contact: Contact) => {
        const actual = bool(contact);
        return actual !== undefined && actual === wanted;
      };
    }
    const get = TEXT_FIELDS[field];
    if (!get) {
      const known = [...Object.keys(BOOLEAN_FIELDS), ...Object.keys(TEXT_FIELDS)].join(", ");
      throw badRequest(`unsupported query field "${field}" (supported: ${known})`);
    }
    const wanted = value.replace(/^"(.*)"$/, "$1");
    return (contact: Contact) => get(contact) === wanted;
  });
  return (contact) => predicates.every((predicate) => predicate(contact));
}

const contactsQuery = z.object({
  query: z.preprocess(lastValue, z.string().max(1000).default("true")),
  page: z.preprocess(lastValue, z.coerce.number().int().min(1).default(1)),
  pageSize: z.preprocess(lastValue, z.coerce.number().int().min(1).max(1000).default(100)),
  sortBy: z.preprocess(lastValue, z.enum(SORTABLE).default("id")),
  sortOrder: z.preprocess(lastValue, z.enum(["asc", "desc"]).default("asc")),
});

export function registerOmnichannelContactRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v2/omnichannel/contactlists/:contactListId/contacts",
      group: "campaigns",
      scopes: SCOPES.omniContactListRead,
      summary: "A page of a contact list, filtered by a query",
      query: contactsQuery,
      responses: {
        "200": "{contacts, page, pageSize, totalCount, totalPages}",
        "400": "unsupported query, bad paging or sorting",
        "404": "unknown contact list",
      },
    },
    (request) => {
      const { contactListId } = request.params as { contactListId: string };
      const list = ctx.state.contactLists.get(contactListId);
      if (!list) throw notFound("contact list", contactListId);
      const query = parseOr400(contactsQuery, request.query, "query");
      const matches = parseContactQuery(query.query);
      const direction = query.sortOrder === "asc" ? 1 : -1;
      const key = query.sortBy;
      const viewKey = `${contactListId}|${query.query}|${key}|${query.sortOrder}`;
      let selected = ctx.state.viewCache.get(viewKey);
      if (!selected) {
        selected = ctx.state
          .contactsOf(list)
          .filter(matches)
          .sort((a, b) => {
            const left = a[key] ?? "";
            const right = b[key] ?? "";
            if (left !== right) return left < right ? -direction : direction;
            return a.id < b.id ? -1 : 1;
          });
        // Keep the few most recent views (a paging client asks for the same one page after page).
        if (ctx.state.viewCache.size >= 4)
          ctx.state.viewCache.delete(ctx.state.viewCache.keys().next().value as string);
        ctx.state.viewCache.set(viewKey, selected);
      }
      const start = (query.page - 1) * query.pageSize;
      return {
        contactListId,
        contacts: selected.slice(start, start + query.pageSize),
        page: query.page,
        pageSize: query.pageSize,
        totalCount: selected.length,
        totalPages: Math.ceil(selected.length / query.pageSize),
      };
    },
  );
}
