import { describe, expect, it } from "vitest";
import { nonEmptySetting, parseUrlSetting } from "../src/index.js";

describe("setting values", () => {
  it("treats blank settings as unset", () => {
    expect(nonEmptySetting("  x  ")).toBe("x");
    expect(nonEmptySetting("   ")).toBeUndefined();
    expect(nonEmptySetting(undefined)).toBeUndefined();
  });

  it("accepts absolute http(s) URLs without trailing slashes and refuses the rest", () => {
    expect(parseUrlSetting("https://ghe.example.com/api/v3/", "API_URL")).toBe(
      "https://ghe.example.com/api/v3",
    );
    expect(() => parseUrlSetting("api.github.com", "API_URL")).toThrow(
      /API_URL "api.github.com" is not an absolute URL/,
    );
    expect(() => parseUrlSetting("ftp://x.example", "API_URL")).toThrow(/http\(s\)/);
    expect(() => parseUrlSetting("https://u:p@x.example", "API_URL")).toThrow(/credentials/);
    expect(() => parseUrlSetting("https://x.example/?a=1", "API_URL")).toThrow(/query/);
  });
});
