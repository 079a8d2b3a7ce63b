import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { CLIENT_IP_HEADER, clientIpFrom, isHttpsRequest } from "~/server/client-ip";

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
});
