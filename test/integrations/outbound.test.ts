import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { env, parseEnv } from "~/env";
import {
  checkOutboundUrl,
  guardedLookup,
  OutboundError,
  outboundRequest,
  resolveOutbound,
} from "~/server/net/outbound";
import { fakeEndpoint } from "./support";

afterEach(() => {
  env.OUTBOUND_ALLOW_PRIVATE = true;
});

async function refusal(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("the outbound guard", () => {
  it("refuses loopback, private and metadata targets without OUTBOUND_ALLOW_PRIVATE, before connecting", async () => {
    const endpoint = await fakeEndpoint();
    env.OUTBOUND_ALLOW_PRIVATE = false;
    for (const url of [
      `http://127.0.0.1:${endpoint.port}/`,
      `http://localhost:${endpoint.port}/`,
      `http://[::1]:${endpoint.port}/`,
      `http://[::ffff:127.0.0.1]:${endpoint.port}/`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://0.0.0.0/",
    ]) {
      const error = await refusal(outboundRequest(url));
      expect(error.reason, url).toBe("blocked_address");
      expect(error.message).toMatch(
        /requests to it are refused \(the install can allow them with OUTBOUND_ALLOW_PRIVATE=true\)/,
      );
    }
    expect(endpoint.received).toHaveLength(0);
  });

  it("allows them with OUTBOUND_ALLOW_PRIVATE=true, and keeps the Host header of the URL", async () => {
    const endpoint = await fakeEndpoint();
    const response = await outboundRequest(`http://localhost:${endpoint.port}/ping`, { method: "POST", body: "hi" });
    expect(response.status).toBe(200);
    expect(endpoint.received.at(-1)).toMatchObject({ method: "POST", url: "/ping", body: "hi" });
    expect(endpoint.received.at(-1)?.headers.host).toBe(`localhost:${endpoint.port}`);
  });

  it("re-checks each redirect it follows", async () => {
    const endpoint = await fakeEndpoint((_request, response) => {
      response.writeHead(302, { location: "http://127.0.0.1:9/" });
      response.end();
    });
    // The first hop is allowed here only because the test server is local; the guard is on for the rest.
    const { address } = await resolveOutbound(endpoint.url);
    expect(address).toBe("127.0.0.1");
    env.OUTBOUND_ALLOW_PRIVATE = false;
    expect((await refusal(outboundRequest(endpoint.url, { maxRedirects: 2 }))).reason).toBe("blocked_address");
  });

  it("refuses URLs that are not http(s) or carry credentials", () => {
    for (const url of [
      "ftp://example.com/",
      "file:///etc/passwd",
      "gopher://x/",
      "not a url",
      "https://a:b@example.com/",
    ]) {
      expect(() => checkOutboundUrl(url), url).toThrow(OutboundError);
    }
    expect(checkOutboundUrl("https://example.com/x").hostname).toBe("example.com");
  });

  it("gives node:http agents a lookup that refuses blocked answers at connect time", async () => {
    const endpoint = await fakeEndpoint();
    env.OUTBOUND_ALLOW_PRIVATE = false;
    const failure = await new Promise<Error>((resolve) => {
      const request = http.get({ host: "localhost", port: endpoint.port, lookup: guardedLookup }, () =>
        resolve(new Error("connected")),
      );
      request.on("error", resolve);
    });
    expect(failure).toBeInstanceOf(OutboundError);
    expect(endpoint.received).toHaveLength(0);
  });
});

describe("ENCRYPTION_KEYS", () => {
  const key = () => Buffer.alloc(32, 7).toString("base64");
  it("parses versioned keys and refuses malformed ones", () => {
    expect([...(parseEnv({ ENCRYPTION_KEYS: `2:${key()}, 1:${key()}` }).ENCRYPTION_KEYS ?? new Map()).keys()]).toEqual([
      2, 1,
    ]);
    expect(() => parseEnv({ ENCRYPTION_KEYS: "2:short" })).toThrow(/ENCRYPTION_KEYS: each entry/);
    expect(() => parseEnv({ ENCRYPTION_KEYS: `0:${key()}` })).toThrow(/ENCRYPTION_KEYS/);
    expect(() => parseEnv({ ENCRYPTION_KEYS: `2:${key()},2:${key()}` })).toThrow(/version 2 is listed twice/);
    expect(parseEnv({}).ENCRYPTION_KEYS).toBeUndefined();
  });
});
