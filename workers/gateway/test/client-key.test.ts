import { describe, expect, it } from "vitest";
import { clientKey } from "../src/rate-limit/client-key";

describe("the rate-limit key of a client address", () => {
  it("is an IPv4 address as it is", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
  });

  it("is the /64 of an IPv6 address, however it is written", () => {
    const prefix = "2001:db8:85a3:8d3::/64";
    for (const address of [
      "2001:db8:85a3:8d3:1319:8a2e:370:7348",
      "2001:0DB8:85A3:08D3:0000:0000:0000:0001",
      "2001:db8:85a3:8d3::",
      "2001:db8:85a3:8d3::1",
      "2001:db8:85a3:8d3:ffff::192.0.2.1",
    ]) {
      expect(clientKey(address)).toBe(prefix);
    }
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
  });

  it("is the IPv4 address an IPv4-mapped IPv6 address stands for", () => {
    expect(clientKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(clientKey("::ffff:c000:201")).toBe("192.0.2.1");
  });

  it("leaves anything that is not an address unchanged", () => {
    for (const value of ["unknown", "1:2:3", "2001:db8:::1", "2001:db8::1::2", "g::1", "1:2:3:4:5:6:7:8:9"]) {
      expect(clientKey(value)).toBe(value);
    }
  });
});
