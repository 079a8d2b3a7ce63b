import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { CLIENT_IP_HEADER, clientIpFrom, clientOf, isHttpsRequest, isLoopback } from "~/server/client-ip";

describe("client address", () => {
  it("believes the address header only with the serving process's token", () => {
    const original = env.VAPORFORM_CLIENT_IP_TOKEN;
    try {
      env.VAPORFORM_CLIENT_IP_TOKEN = "process-secret";
      expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: "process-secret 198.51.100.4" }))).toBe("198.51.100.4");
      expect(clientIpFrom({ [CLIENT_IP_HEADER]: "process-secret 198.51.100.4" })).toBe("198.51.100.4");
      expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: "forged 10.0.0.1" }))).toBe("unknown");
      expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: "10.0.0.1" }))).toBe("unknown");
      expect(clientIpFrom(new Headers())).toBe("unknown");
      env.VAPORFORM_CLIENT_IP_TOKEN = undefined;
      expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: "process-secret 198.51.100.4" }))).toBe("unknown");
    } finally {
      env.VAPORFORM_CLIENT_IP_TOKEN = original;
    }
  });

  it("believes the protocol only with the token, and an https NEXTAUTH_URL for every request", () => {
    const original = { token: env.VAPORFORM_CLIENT_IP_TOKEN, url: env.NEXTAUTH_URL };
    try {
      env.VAPORFORM_CLIENT_IP_TOKEN = "process-secret";
      env.NEXTAUTH_URL = "http://localhost:3000";
      expect(isHttpsRequest(new Headers({ [CLIENT_IP_HEADER]: "process-secret 198.51.100.4 https" }))).toBe(true);
      expect(isHttpsRequest({ [CLIENT_IP_HEADER]: "process-secret 198.51.100.4 https" })).toBe(true);
      expect(isHttpsRequest(new Headers({ [CLIENT_IP_HEADER]: "process-secret 198.51.100.4 http" }))).toBe(false);
      expect(isHttpsRequest(new Headers({ [CLIENT_IP_HEADER]: "forged 198.51.100.4 https" }))).toBe(false);
      env.NEXTAUTH_URL = "https://vaporform.example.com";
      expect(isHttpsRequest(new Headers())).toBe(true);
    } finally {
      env.VAPORFORM_CLIENT_IP_TOKEN = original.token;
      env.NEXTAUTH_URL = original.url;
    }
  });

  it("believes forwarded headers only from a proxy on this host, and only with TRUST_PROXY", () => {
    const forwarded = { "x-forwarded-for": "203.0.113.9, 198.51.100.4", "x-forwarded-proto": "https" };
    const proxied = { address: "198.51.100.4", protocol: "https" };
    for (const peer of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) {
      expect(clientOf(peer, forwarded, true), peer).toEqual(proxied);
      expect(clientOf(peer, forwarded, false), peer).toEqual({ address: peer, protocol: "http" });
    }
    // A client reaching the port directly picks neither its address nor its protocol.
    for (const peer of ["203.0.113.7", "::ffff:203.0.113.7", "2001:db8::7", "10.0.0.1", "::ffff:128.0.0.1"]) {
      expect(clientOf(peer, forwarded, true), peer).toEqual({ address: peer, protocol: "http" });
    }
    expect(clientOf(undefined, forwarded, true)).toEqual({ address: "unknown", protocol: "http" });
    // From the proxy: the last entry is the one it added; without one, the socket's address.
    expect(clientOf("::1", { "x-forwarded-for": ["203.0.113.9", "198.51.100.4 , "] }, true).address).toBe(
      "198.51.100.4",
    );
    expect(clientOf("::1", { "x-forwarded-for": "1.2.3.4 https" }, true).address).not.toContain(" ");
    expect(clientOf("127.0.0.1", {}, true)).toEqual({ address: "127.0.0.1", protocol: "http" });
    expect(clientOf("127.0.0.1", { "x-forwarded-proto": "https, http" }, true).protocol).toBe("http");
    expect(["127.0.0.1", "::1", "::ffff:127.0.0.2"].every(isLoopback)).toBe(true);
    expect(["127.0.0.1.example", "1127.0.0.1", "::2", "", undefined].some(isLoopback)).toBe(false);
  });
});
