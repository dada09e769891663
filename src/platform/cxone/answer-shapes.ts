import { UnreadableAnswerError } from "../errors.ts";
import { bool, isObject, num, pick, type Raw, text } from "./tolerant.ts";

/**
 * Issue 75 §1: the documented shapes of the answers a compliance decision rests on, read strictly.
 * Every shape a public source shows is read (shared/reference independent-clients.md: NICE's SDK,
 * the spec-generated client calljacob, DZ's samples; docs/platforms.md "Answer shapes"); an answer
 * in none of them is an UnreadableAnswerError naming the route and what was missing, never an
 * empty list. A 204 (or an empty body) is the platform's documented "nothing", and stays empty.
 *
 * One module for every reader on a compliance path (DNC groups, records, search, scrubbed skills,
 * a skill's parameter blocks, call-list records), so each shape is learnt once.
 */

/** What a reader was answered: the status and the parsed body. */
export interface Answer {
  status: number;
  body: unknown;
}

/** A 204, or a 2xx with no body: the documented empty answer. */
export const isEmptyAnswer = (answer: Answer): boolean =>
  answer.status === 204 || answer.body === undefined || answer.body === null || answer.body === "";

/** The containers a list or an object may sit in: `resultSet` (either casing), then the body. */
function containers(body: Raw): Array<{ where: string; value: Raw }> {
  const out: Array<{ where: string; value: Raw }> = [];
  if (isObject(body.resultSet)) out.push({ where: "resultSet.", value: body.resultSet });
  if (isObject(body.resultset)) out.push({ where: "resultset.", value: body.resultset });
  out.push({ where: "", value: body });
  return out;
}

/** The top-level keys of an answer, for an error message (names only: never a value). */
function keysOf(body: unknown): string {
  if (!isObject(body))
    return body === undefined ? "no body" : `a ${Array.isArray(body) ? "JSON array" : typeof body}`;
  const keys = Object.keys(body).slice(0, 12);
  const inner = isObject(body.resultSet)
    ? ` (resultSet: ${Object.keys(body.resultSet).slice(0, 12).join(", ") || "empty"})`
    : "";
  return keys.length === 0 ? "an empty object" : `keys ${keys.join(", ")}${inner}`;
}

const either = (keys: readonly string[]) => keys.join(" or ");

/** A list answer read: its items, the key and container it was found under, and the count CXone gave. */
export interface ListRead {
  items: Raw[];
  /** Where the items were found (`resultSet.dncRecords`); undefined for an empty answer. */
  foundAt: string | undefined;
  /** `totalRecords` beside the list (in its container or at the top), when CXone sent one. */
  total: number | undefined;
}

/**
 * The items of a list answer under any of `keys`, inside `resultSet` or at the top. A 204 or an
 * empty body is an empty list; an object with none of the keys, a key holding something other
 * than an array, or an item that is not an object is an UnreadableAnswerError naming the route.
 */
export function listIn(answer: Answer, route: string, keys: readonly string[]): ListRead {
  if (isEmptyAnswer(answer)) return { items: [], foundAt: undefined, total: undefined };
  const { body } = answer;
  const fail = (missing: string) =>
    new UnreadableAnswerError(route, missing, { status: answer.status, body });
  if (!isObject(body)) throw fail(`a JSON object holding ${either(keys)} (got ${keysOf(body)})`);
  for (const { where, value } of containers(body)) {
    for (const key of keys) {
      if (!(key in value)) continue;
      const items = value[key];
      if (!Array.isArray(items))
        throw fail(`an array under ${where}${key} (it holds ${items === null ? "null" : typeof items})`);
      const bad = items.findIndex((item) => !isObject(item));
      if (bad >= 0) throw fail(`an object as item ${bad} of ${where}${key}`);
      return { items: items as Raw[], foundAt: `${where}${key}`, total: totalIn(value, body) };
    }
  }
  throw fail(`an array under ${either(keys)}, in resultSet or at the top (got ${keysOf(body)})`);
}

/** `totalRecords` in the list's container, else at the top; undefined when absent or not a number. */
function totalIn(container: Raw, body: Raw): number | undefined {
  return (
    num(pick(container, "totalRecords", "TotalRecords")) ?? num(pick(body, "totalRecords", "TotalRecords"))
  );
}

/** The count a list answer gives of its whole listing (`totalRecords`, in `resultSet` or at the top). */
export function totalOf(body: unknown): number | undefined {
  if (!isObject(body)) return undefined;
  for (const { value } of containers(body)) {
    const total = num(pick(value, "totalRecords", "TotalRecords"));
    if (total !== undefined) return total;
  }
  return undefined;
}

/**
 * One object of a single-item answer: `resultSet.{key}[0]` (calljacob's and DZ's envelope for
 * `GET /dnc-groups/{id}`), `{key}[0]`, `{key}: {…}` (in `resultSet` or at the top), or the
 * `resultSet` or the body itself when it carries one of `idFields`. None of these with an id: an
 * UnreadableAnswerError (the route answered 2xx, so an empty list there is not "gone").
 */
export function oneIn(
  answer: Answer,
  route: string,
  keys: readonly string[],
  idFields: readonly string[],
): Raw {
  const { body } = answer;
  const hasId = (value: unknown): value is Raw =>
    isObject(value) && text(pick(value, ...idFields)) !== undefined;
  if (isObject(body)) {
    for (const { value } of containers(body)) {
      for (const key of keys) {
        const inner = value[key];
        if (Array.isArray(inner) && hasId(inner[0])) return inner[0];
        if (hasId(inner)) return inner;
      }
    }
    for (const { value } of containers(body)) if (hasId(value)) return value;
  }
  throw new UnreadableAnswerError(
    route,
    `one object with ${either(idFields)} (looked in resultSet.${keys[0]}[0], ${keys.join(", ")} and a flat object; got ${keysOf(body)})`,
    { status: answer.status, body },
  );
}

/** An object the route must answer (a skill's parameters, a block's own GET), else UnreadableAnswerError. */
export function objectIn(answer: Answer, route: string, what: string): Raw {
  if (isObject(answer.body)) return answer.body;
  throw new UnreadableAnswerError(route, `${what} (got ${keysOf(answer.body)})`, {
    status: answer.status,
    body: answer.body,
  });
}

/**
 * A block of a skill's parameters that a compliance reading needs: absent is undefined (the
 * tenant does not show it); present as anything but an object is an UnreadableAnswerError.
 */
export function blockIn(parameters: Raw, key: string, route: string): Raw | undefined {
  const value = parameters[key];
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) return value;
  throw new UnreadableAnswerError(
    route,
    `an object under ${key} (it holds ${Array.isArray(value) ? "an array" : typeof value})`,
  );
}

/**
 * The zone a `timeZoneSettings` row names: calljacob's GET model says `name`, its PUT model
 * `standardName`, and this emulator (and cxo before issue 75) `timeZone`; any of them is read.
 */
export function zoneNameOf(row: Raw): string | undefined {
  return text(pick(row, "name", "standardName", "timeZone", "Name", "StandardName", "TimeZone"));
}

/**
 * `timeZoneSettings` rows (the skill's calling hours per zone). Absent: undefined. Present as
 * anything but an array of objects, or a row without a zone name or with unreadable hours: an
 * UnreadableAnswerError (an hour left out would let a record be dialled outside its zone's hours).
 */
export function zoneRowsIn(
  parameters: Raw,
  route: string,
): Array<{ zone: string; startTime: string; endTime: string; row: Raw }> | undefined {
  const value = parameters.timeZoneSettings ?? parameters.TimeZoneSettings;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw new UnreadableAnswerError(route, `an array under timeZoneSettings (it holds ${typeof value})`);
  return value.map((row, i) => {
    if (!isObject(row)) throw new UnreadableAnswerError(route, `an object as timeZoneSettings[${i}]`);
    const zone = zoneNameOf(row);
    const startTime = text(pick(row, "startTime", "StartTime"));
    const endTime = text(pick(row, "endTime", "EndTime"));
    if (zone === undefined)
      throw new UnreadableAnswerError(
        route,
        `a zone name (name, standardName or timeZone) in timeZoneSettings[${i}]`,
      );
    if (startTime === undefined || endTime === undefined)
      throw new UnreadableAnswerError(route, `startTime and endTime in timeZoneSettings[${i}] (${zone})`);
    return { zone, startTime, endTime, row };
  });
}

/**
 * A call-list record's phone number: `phoneNumber` (cxo's layout, either casing), else the first
 * `destinations[].formattedDestination` (DZ's `DownloadCallingListResponse_Lists` and FULL's
 * `GetCallingListResponseById`). Undefined when neither is there.
 */
export function listRecordPhoneOf(record: Raw): string | undefined {
  const flat = text(pick(record, "phoneNumber", "PhoneNumber", "phone"));
  if (flat !== undefined) return flat;
  const destinations = pick(record, "destinations", "Destinations");
  if (!Array.isArray(destinations)) return undefined;
  for (const destination of destinations)
    if (isObject(destination)) {
      const phone = text(pick(destination, "formattedDestination", "FormattedDestination", "destination"));
      if (phone !== undefined) return phone;
    }
  return undefined;
}

/**
 * A call-list record's own columns by name: `customFields: {name: value}` (cxo's layout) and
 * `otherFields: [{fieldName, fieldValue}]` (DZ, FULL), merged. A column that is neither shape is
 * an UnreadableAnswerError: a consent column read from it would otherwise read as "no consent
 * given" or, worse, be skipped.
 */
export function listRecordColumnsOf(record: Raw, route: string): Raw {
  const out: Raw = {};
  const custom = pick(record, "customFields", "CustomFields");
  if (custom !== undefined) {
    if (!isObject(custom)) throw new UnreadableAnswerError(route, "an object under a record's customFields");
    Object.assign(out, custom);
  }
  const other = pick(record, "otherFields", "OtherFields");
  if (other !== undefined) {
    if (!Array.isArray(other))
      throw new UnreadableAnswerError(route, "an array under a record's otherFields");
    for (const field of other) {
      const name = isObject(field) ? text(pick(field, "fieldName", "FieldName")) : undefined;
      if (name === undefined)
        throw new UnreadableAnswerError(route, "a fieldName in each of a record's otherFields");
      out[name] = pick(field as Raw, "fieldValue", "FieldValue");
    }
  }
  return out;
}

/**
 * A record in either layout as cxo's flat one (`phoneNumber`, `customFields`): what an upload of
 * downloaded records writes (a DZ-layout record's phone and columns would otherwise be lost).
 */
export function flatListRecord(record: Raw, route: string): Raw {
  const { destinations: _d, Destinations: _D, otherFields: _o, OtherFields: _O, ...rest } = record;
  const hasPhone = pick(record, "phoneNumber", "PhoneNumber") !== undefined;
  const phone = hasPhone ? undefined : listRecordPhoneOf(record);
  const columns = listRecordColumnsOf(record, route);
  const customKey = "CustomFields" in record && !("customFields" in record) ? "CustomFields" : "customFields";
  return {
    ...rest,
    ...(phone === undefined ? {} : { phoneNumber: phone }),
    ...(Object.keys(columns).length > 0 ? { [customKey]: columns } : {}),
  };
}

/** A number field of a block: absent is undefined; present but not a number is an UnreadableAnswerError. */
export function numberField(block: Raw, field: string, route: string): number | undefined {
  return typedField(block, field, route, num, "a number");
}

/** A boolean field of a block (true/"True"/1…): absent is undefined; anything else unreadable. */
export function booleanField(block: Raw, field: string, route: string): boolean | undefined {
  return typedField(block, field, route, bool, "true or false");
}

/** A field read by `read`: absent (or null) is undefined; what `read` cannot read is an UnreadableAnswerError saying `what` it needs. */
function typedField<T>(
  block: Raw,
  field: string,
  route: string,
  read: (value: unknown) => T | undefined,
  what: string,
): T | undefined {
  const value = block[field];
  if (value === undefined || value === null) return undefined;
  const got = read(value);
  if (got === undefined)
    throw new UnreadableAnswerError(
      route,
      `${what} as ${field} (it holds ${JSON.stringify(value).slice(0, 40)})`,
    );
  return got;
}
