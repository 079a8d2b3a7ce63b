import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { CLIENT_IP_HEADER, clientIpFrom, isLoopback } from "~/server/client-ip";

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

  it("knows the machine itself", () => {
    for (const ip of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) expect(isLoopback(ip)).toBe(true);
    for (const ip of ["198.51.100.4", "unknown", "127.0.0.2x"]) expect(isLoopback(ip)).toBe(false);
  });
});
