import { BufferRing } from "../buffer-ring.ts";
import { UnreadableAnswerError } from "./errors.ts";
import { IRREGULAR, JsonArrayIndex, MalformedJsonError } from "./json-array-index.ts";

export { IRREGULAR };

import type { BodySink } from "./transport.ts";

/**
 * The bodies of a paged listing whose records are one array field of a JSON object (an outcome
 * page's `calls`, a contact page's `contacts`), kept as bytes and decoded one record at a time:
 * each page's answer streams into one of two reused buffers (a request's `bodySink`), its
 * array's element boundaries are indexed, and a record is parsed only when it is read. Page
 * n+1 can be received while page n is still read; page n must be read before page n+2 begins
 * (reading it later throws StaleBufferError rather than returning another page's bytes).
 * Holding one page as bytes instead of a string, its parsed JSON and its decoded objects is
 * what keeps a listing of millions of records in flat memory. With `buffers` above 2 (a
 * listing that asks for pages ahead), page n stays readable until page n + buffers begins, and
 * the pages in between may arrive at once, each into its own buffer.
 */
export interface ArrayPageBody {
  /** For the request's `bodySink`: restarted on every attempt. */
  readonly sink: BodySink;
  /** Bytes received (0 for an empty answer, e.g. a 204); read before the next page begins. */
  byteLength(): number;
  /**
   * Indexes the received body, once it is complete and before the next page begins: returns it parsed without the array's elements (the field stays
   * an empty array). A body that is not a JSON object is an UnreadableAnswerError naming the endpoint.
   */
  index(status: number): Record<string, unknown>;
  /** Elements found by `index`. */
  readonly count: number;
  /** Element i's JSON text. */
  text(i: number): string;
  /**
   * Top-level field k (index in the constructor's `elementKeys`) of element i, read exactly
   * from the bytes without parsing the element (JsonArrayIndex.fieldAt): a scalar, undefined
   * when absent, or IRREGULAR when only parsing the element can say.
   */
  field(i: number, k: number): unknown;
  /** A string field of element i read without parsing it (JsonArrayIndex.stringAfter): a hint. */
  stringHint(i: number, key: Uint8Array): string | undefined;
  /** Element i parsed; text that is not JSON is an UnreadableAnswerError naming `${what}`. */
  json(i: number, what: string): unknown;
}

export class ArrayPageBodies {
  private readonly bodies: BufferRing;
  private readonly indexes: readonly JsonArrayIndex[];
  private readonly endpoint: string;
  private readonly field: string;
  private readonly service: string;

  /**
   * `elementKeys`: the elements' top-level keys that `field` reads without parsing. `buffers`:
   * how many pages are kept (2: the page read and the next one arriving). `service`: who answers,
   * in an unreadable answer's words ("CXone" unless said).
   */
  constructor(
    endpoint: string,
    field: string,
    elementKeys: readonly string[] = [],
    buffers = 2,
    service = "CXone",
  ) {
    this.endpoint = endpoint;
    this.field = field;
    this.service = service;
    this.bodies = new BufferRing(buffers);
    this.indexes = Array.from({ length: buffers }, () => new JsonArrayIndex(elementKeys));
  }

  /** Starts the next page in the buffer of the oldest one. */
  next(): ArrayPageBody {
    const { bodies, endpoint, field, service } = this;
    const generation = bodies.begin();
    const index = this.indexes[generation % bodies.size] as JsonArrayIndex;
    return {
      sink: {
        begin: () => bodies.restart(generation),
        write: (chunk) => bodies.write(generation, chunk),
      },
      byteLength: () => bodies.bytes(generation).length,
      index(status) {
        try {
          return index.index(bodies.bytes(generation), field);
        } catch (error) {
          const why = error instanceof MalformedJsonError ? ` (${error.message})` : "";
          throw new UnreadableAnswerError(endpoint, `the response shape it documents${why}`, {
            status,
            service,
          });
        }
      },
      get count() {
        return index.count;
      },
      text(i) {
        bodies.assertReadable(generation);
        return index.text(i);
      },
      field(i, k) {
        bodies.assertReadable(generation);
        return index.fieldAt(i, k);
      },
      stringHint(i, key) {
        bodies.assertReadable(generation);
        return index.stringAfter(i, key);
      },
      json(i, what) {
        bodies.assertReadable(generation);
        try {
          return JSON.parse(index.text(i));
        } catch (error) {
          throw new UnreadableAnswerError(endpoint, `${what} in JSON (${(error as Error).message})`, {
            service,
          });
        }
      },
    };
  }
}
