import { describe, expect, it } from "vitest";
import { StaleBufferError } from "../../../src/core/double-buffer.ts";
import { ArrayPageBodies } from "../../../src/core/http/array-pages.ts";
import { CxoneError } from "../../../src/core/http/errors.ts";

const ENDPOINT = "GET /things";

/** Feeds `text` into a page body the way the transport does: begin, then chunks. */
function receive(bodies: ArrayPageBodies, text: string, chunk = 7) {
  const body = bodies.next();
  body.sink.begin();
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += chunk) body.sink.write(bytes.subarray(at, at + chunk));
  return body;
}

describe("ArrayPageBodies", () => {
  it("decodes a page's records one at a time and gives back the rest of the body", () => {
    const bodies = new ArrayPageBodies(ENDPOINT, "things");
    const body = receive(bodies, '{"page":2,"things":[{"id":"a","n":"é"},{"id":"b"}],"next":"t"}');
    expect(body.index(200)).toEqual({ page: 2, things: [], next: "t" });
    expect(body.count).toBe(2);
    expect(body.json(0, "a thing")).toEqual({ id: "a", n: "é" });
    expect(body.text(1)).toBe('{"id":"b"}');
  });

  it("restarts a body on a retried attempt: only the last attempt's bytes count", () => {
    const bodies = new ArrayPageBodies(ENDPOINT, "things");
    const body = bodies.next();
    body.sink.begin();
    body.sink.write(Buffer.from('{"things":[{"id":"cut off'));
    body.sink.begin();
    body.sink.write(Buffer.from('{"things":[{"id":"whole"}]}'));
    body.index(200);
    expect(body.json(0, "a thing")).toEqual({ id: "whole" });
  });

  it("keeps page n readable while page n+1 arrives, and refuses to read it once page n+2 began", () => {
    const bodies = new ArrayPageBodies(ENDPOINT, "things");
    const first = receive(bodies, '{"things":[{"id":1}]}');
    first.index(200);
    const second = receive(bodies, '{"things":[{"id":2},{"id":3}]}');
    second.index(200);
    expect(first.json(0, "a thing")).toEqual({ id: 1 });
    receive(bodies, '{"things":[{"id":4}]}').index(200);
    expect(second.json(1, "a thing")).toEqual({ id: 3 });
    expect(() => first.json(0, "a thing")).toThrow(StaleBufferError);
    expect(() => first.text(0)).toThrow(StaleBufferError);
  });

  it("reports a body that is not JSON, and a record that is not, as CxoneErrors naming the endpoint", () => {
    const bodies = new ArrayPageBodies(ENDPOINT, "things");
    const broken = receive(bodies, '{"things":[{"id":1}');
    expect(() => broken.index(200)).toThrow(CxoneError);
    expect(() => broken.index(200)).toThrow(
      /^GET \/things: CXone answered 200 without the response shape it documents \(response body: /,
    );
    const record = receive(bodies, '{"things":[{"id":1},{"id":}]}');
    record.index(200);
    expect(() => record.json(1, "a thing")).toThrow(
      /^GET \/things: CXone answered without a thing in JSON \(/,
    );
  });

  it("says how many bytes came (an empty answer has none)", () => {
    const bodies = new ArrayPageBodies(ENDPOINT, "things");
    const body = bodies.next();
    body.sink.begin();
    expect(body.byteLength()).toBe(0);
  });
});
