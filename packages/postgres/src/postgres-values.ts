/**
 * Turns PostgreSQL's text output into JSON an agent can use: numbers as numbers while they are exact,
 * bigint/numeric as strings beyond that, booleans, parsed JSON, ISO 8601 timestamps, bytea as base64 with a
 * size cap, arrays as arrays, NULL as null. Every value arrives as text (the connector asks pg not to parse),
 * so nothing is lost before this point.
 */

/** pg's per-query type parsers: keep every value as the server's text. */
export const RAW_TEXT_TYPES = {
  getTypeParser: () => (value: string) => value,
};

/** A bytea value, cut to the cap. */
export interface ByteaValue {
  readonly base64: string;
  /** Size of the whole value in bytes. */
  readonly bytes: number;
  /** True when base64 holds only the first `maxByteaBytes` bytes. */
  readonly truncated: boolean;
}

export interface ValueOptions {
  readonly maxByteaBytes: number;
}

const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

/** Array type OID -> element type OID, for the built-in element types the converter knows. */
const ARRAY_ELEMENTS: ReadonlyMap<number, number> = new Map([
  [1000, 16],
  [1001, 17],
  [1002, 18],
  [1003, 19],
  [1005, 21],
  [1007, 23],
  [1009, 25],
  [1014, 1042],
  [1015, 1043],
  [1016, 20],
  [1021, 700],
  [1022, 701],
  [1028, 26],
  [1115, 1114],
  [1182, 1082],
  [1183, 1083],
  [1185, 1184],
  [1187, 1186],
  [1231, 1700],
  [1270, 1266],
  [199, 114],
  [3807, 3802],
  [2951, 2950],
  [1041, 869],
  [651, 650],
  [143, 142],
  [1040, 829],
]);

/** Names for the common OIDs; the executor asks the server (format_type) for the exact names of the rest. */
export const BUILTIN_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [16, "boolean"],
  [17, "bytea"],
  [18, '"char"'],
  [19, "name"],
  [20, "bigint"],
  [21, "smallint"],
  [23, "integer"],
  [25, "text"],
  [26, "oid"],
  [114, "json"],
  [700, "real"],
  [701, "double precision"],
  [1042, "character"],
  [1043, "character varying"],
  [1082, "date"],
  [1083, "time without time zone"],
  [1114, "timestamp without time zone"],
  [1184, "timestamp with time zone"],
  [1186, "interval"],
  [1700, "numeric"],
  [2950, "uuid"],
  [3802, "jsonb"],
]);

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function integerValue(text: string): number | string {
  const big = BigInt(text);
  return big <= MAX_EXACT && big >= -MAX_EXACT ? Number(text) : text;
}

/** A numeric becomes a number only when the number prints back to the same decimal value. */
function numericValue(text: string): number | string {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text; // NaN, Infinity
  const normalized = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  const number = Number(normalized);
  if (!Number.isFinite(number)) return text;
  const canonical = normalized.replace(/^(-?)0+(?=\d)/, "$1");
  return String(number) === canonical || (number === 0 && /^-?0$/.test(canonical)) ? number : text;
}

function floatValue(text: string): number | string {
  const number = Number(text);
  return Number.isFinite(number) ? number : text; // NaN, Infinity, -Infinity stay text
}

/** `2024-01-02 03:04:05.123456+05:30` (DateStyle ISO) -> `2024-01-02T03:04:05.123456+05:30`. */
function isoTimestamp(text: string, withZone: boolean): string {
  const match =
    /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/.exec(text);
  if (!match) return text; // infinity, BC dates: as the server wrote them
  const [, date, time, zone] = match;
  if (!withZone || !zone) return `${date}T${time}`;
  const [hours, minutes = "00", seconds] = zone.slice(1).split(":");
  return `${date}T${time}${zone[0]}${hours}:${minutes}${seconds ? `:${seconds}` : ""}`;
}

function byteaValue(text: string, options: ValueOptions): ByteaValue {
  const hex = text.startsWith("\\x") ? text.slice(2) : undefined;
  const buffer = hex === undefined ? Buffer.from(text, "latin1") : Buffer.from(hex, "hex");
  const truncated = buffer.length > options.maxByteaBytes;
  return {
    base64: (truncated ? buffer.subarray(0, options.maxByteaBytes) : buffer).toString("base64"),
    bytes: buffer.length,
    truncated,
  };
}

/** One value of type `oid`, from its text form. */
export function convertValue(oid: number, text: string | null, options: ValueOptions): unknown {
  if (text === null) return null;
  switch (oid) {
    case OID.bool:
      return text === "t";
    case OID.int2:
    case OID.int4:
    case OID.oid:
      return Number(text);
    case OID.int8:
      return integerValue(text);
    case OID.numeric:
      return numericValue(text);
    case OID.float4:
    case OID.float8:
      return floatValue(text);
    case OID.json:
    case OID.jsonb:
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case OID.timestamptz:
      return isoTimestamp(text, true);
    case OID.timestamp:
      return isoTimestamp(text, false);
    case OID.bytea:
      return byteaValue(text, options);
    default: {
      const element = ARRAY_ELEMENTS.get(oid);
      if (element === undefined) return text;
      try {
        return parseArrayLiteral(text, (item) => convertValue(element, item, options));
      } catch {
        return text;
      }
    }
  }
}

/**
 * Parses a PostgreSQL array literal (`{1,2,NULL}`, `{{"a b","c\"d"},{e,f}}`, `[0:1]={x,y}`), converting each
 * element with `convert` (NULL elements become null).
 */
export function parseArrayLiteral(text: string, convert: (item: string | null) => unknown): unknown[] {
  let index = 0;
  const body = text.startsWith("[") ? text.slice(text.indexOf("=") + 1) : text;
  const parseArray = (): unknown[] => {
    if (body[index] !== "{") throw new SyntaxError("array literal must start with {");
    index += 1;
    const items: unknown[] = [];
    if (body[index] === "}") {
      index += 1;
      return items;
    }
    for (;;) {
      const char = body[index];
      if (char === "{") {
        items.push(parseArray());
      } else if (char === '"') {
        index += 1;
        let value = "";
        while (index < body.length && body[index] !== '"') {
          if (body[index] === "\\") index += 1;
          value += body[index] ?? "";
          index += 1;
        }
        index += 1;
        items.push(convert(value));
      } else {
        let end = index;
        while (end < body.length && body[end] !== "," && body[end] !== "}") end += 1;
        const raw = body.slice(index, end).trim();
        index = end;
        items.push(raw.toUpperCase() === "NULL" ? null : convert(raw));
      }
      const separator = body[index];
      index += 1;
      if (separator === "}") return items;
      if (separator !== ",") throw new SyntaxError("malformed array literal");
    }
  };
  return parseArray();
}

/** A result column as the tools report it. */
export interface ColumnInfo {
  /** The column's name as PostgreSQL returned it. */
  readonly name: string;
  /** The key of this column in each row object (the name, suffixed `_2`, `_3` for duplicate names). */
  readonly key: string;
  /** PostgreSQL type, as format_type prints it (`numeric(10,2)`, `timestamp with time zone`). */
  readonly type: string;
  readonly typeOid: number;
}

/** Unique row-object keys for result columns (`?column?`, duplicate names from joins). */
export function columnKeys(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(names);
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count === 1) return name;
    let suffix = count;
    while (taken.has(`${name}_${suffix}`)) suffix += 1;
    const key = `${name}_${suffix}`;
    taken.add(key);
    return key;
  });
}

/** One row (array of texts) into an object keyed by the columns' keys. */
export function convertRow(
  row: readonly (string | null)[],
  columns: readonly ColumnInfo[],
  options: ValueOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((column, index) => {
    out[column.key] = convertValue(column.typeOid, row[index] ?? null, options);
  });
  return out;
}
