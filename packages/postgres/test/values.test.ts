import { describe, expect, it } from "vitest";
import { convertValue, parseArrayLiteral } from "../src/index.js";

const options = { maxByteaBytes: 8 };

describe("values", () => {
  it("keeps numbers exact: numbers while representable, strings beyond", () => {
    expect(convertValue(20, "9007199254740991", options)).toBe(9007199254740991);
    expect(convertValue(20, "9007199254740992", options)).toBe("9007199254740992");
    expect(convertValue(20, "-9007199254740993", options)).toBe("-9007199254740993");
    expect(convertValue(1700, "12.50", options)).toBe(12.5);
    expect(convertValue(1700, "100.00", options)).toBe(100);
    expect(convertValue(1700, "0.1", options)).toBe(0.1);
    expect(convertValue(1700, "123456789012345678901234.5", options)).toBe("123456789012345678901234.5");
    expect(convertValue(1700, "0.12345678901234567890", options)).toBe("0.12345678901234567890");
    expect(convertValue(1700, "NaN", options)).toBe("NaN");
    expect(convertValue(701, "Infinity", options)).toBe("Infinity");
    expect(convertValue(700, "1.5", options)).toBe(1.5);
  });

  it("converts booleans, JSON, timestamps, bytea and NULL", () => {
    expect(convertValue(16, "t", options)).toBe(true);
    expect(convertValue(16, "f", options)).toBe(false);
    expect(convertValue(3802, '{"a": [1, null]}', options)).toEqual({ a: [1, null] });
    expect(convertValue(1184, "2024-05-06 07:08:09.5+05:30", options)).toBe("2024-05-06T07:08:09.5+05:30");
    expect(convertValue(1184, "2024-05-06 07:08:09+00", options)).toBe("2024-05-06T07:08:09+00:00");
    expect(convertValue(1184, "infinity", options)).toBe("infinity");
    expect(convertValue(1114, "2024-05-06 07:08:09", options)).toBe("2024-05-06T07:08:09");
    expect(convertValue(17, "\\x0102", options)).toEqual({ base64: "AQI=", bytes: 2, truncated: false });
    expect(convertValue(17, `\\x${"ff".repeat(20)}`, options)).toMatchObject({ bytes: 20, truncated: true });
    expect(convertValue(23, null, options)).toBeNull();
    expect(convertValue(99999, "some text", options)).toBe("some text");
  });

  it("parses array literals, nested and quoted", () => {
    expect(parseArrayLiteral('{1,NULL,"a,b","c\\"d"}', (item) => item)).toEqual(["1", null, "a,b", 'c"d']);
    expect(parseArrayLiteral("{{1,2},{3,4}}", (item) => Number(item))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseArrayLiteral("{}", (item) => item)).toEqual([]);
    expect(parseArrayLiteral("[0:1]={x,y}", (item) => item)).toEqual(["x", "y"]);
    expect(convertValue(1016, "{1,9007199254740993}", options)).toEqual([1, "9007199254740993"]);
    expect(convertValue(1000, "{t,f,NULL}", options)).toEqual([true, false, null]);
  });
});
