import { describe, expect, it } from "vitest";
import { blockedReason } from "~/server/net/address";

describe("which addresses a user-given URL may reach", () => {
  it.each([
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "shared (CGNAT)"],
    ["100.127.255.255", "shared (CGNAT)"],
    ["100.100.100.200", "shared (CGNAT)"],
    ["169.254.169.254", "link-local"],
    ["169.254.170.2", "link-local"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["192.0.2.10", "documentation"],
    ["198.18.0.1", "reserved"],
  ])("refuses IPv4 %s (%s)", (address, reason) => {
    expect(blockedReason(address)).toBe(reason);
  });

  it.each([
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["fc00::1", "private"],
    ["fd12:3456:789a::1", "private"],
    ["fd00:ec2::254", "private"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf:ffff::1", "link-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    // IPv4 inside IPv6: the IPv4 address decides.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:10.1.2.3", "private"],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["2002:c0a8:0101::1", "private"],
    ["::127.0.0.1", "loopback"],
  ])("refuses IPv6 %s (%s)", (address, reason) => {
    expect(blockedReason(address)).toBe(reason);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "2a00:1450:4001:82b::200e",
  ])("lets the public address %s through", (address) => {
    expect(blockedReason(address)).toBeNull();
  });

  it("treats anything that is not an IP literal as not an address", () => {
    expect(blockedReason("localhost")).toBe("not an IP address");
    expect(blockedReason("1.2.3")).toBe("not an IP address");
  });
});
