import { describe, expect, it } from "vitest";
import { ConnectorError, createCursorCodec, hashQuery } from "../src/index.js";

const binding = {
  tool: "github_list_issues",
  queryHash: hashQuery({ owner: "acme", repo: "api", state: "open" }),
};
const state = { position: "https://api.github.com/repos/acme/api/issues?page=3", skip: 4, pageSize: 30 };

function rejection(run: () => unknown): ConnectorError {
  try {
    run();
  } catch (error) {
    if (ConnectorError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("cursor codec", () => {
  const codec = createCursorCodec({ secret: "test-secret" });

  it("round-trips a state", () => {
    expect(codec.decode(codec.encode(binding, state), binding)).toEqual(state);
  });

  it("rejects a tampered cursor", () => {
    const cursor = codec.encode(binding, state);
    const [body, tag] = cursor.split(".") as [string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString());
    payload.s = 0;
    const forged = `${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${tag}`;
    const error = rejection(() => codec.decode(forged, binding));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain("signature");
    const flipped = `${cursor.slice(0, -2)}${cursor.at(-2) === "A" ? "B" : "A"}${cursor.at(-1)}`;
    expect(rejection(() => codec.decode(flipped, binding)).code).toBe("invalid_input");
    expect(rejection(() => codec.decode("garbage", binding)).code).toBe("invalid_input");
  });

  it("rejects a cursor replayed on another tool or another query", () => {
    const cursor = codec.encode(binding, state);
    expect(
      rejection(() => codec.decode(cursor, { ...binding, tool: "github_list_commits" })).message,
    ).toContain("github_list_issues");
    const otherQuery = { ...binding, queryHash: hashQuery({ owner: "acme", repo: "api", state: "closed" }) };
    expect(rejection(() => codec.decode(cursor, otherQuery)).message).toContain("different query");
  });

  it("rejects a cursor signed by another deployment, and an expired one", () => {
    const other = createCursorCodec({ secret: "another-secret" });
    expect(rejection(() => codec.decode(other.encode(binding, state), binding)).code).toBe("invalid_input");
    let now = 0;
    const aging = createCursorCodec({ secret: "s", maxAgeMs: 1000, now: () => now });
    const cursor = aging.encode(binding, state);
    now = 5000;
    expect(rejection(() => aging.decode(cursor, binding)).message).toContain("expired");
  });

  it("hashes queries without regard to key order, limit or cursor", () => {
    expect(hashQuery({ a: 1, b: [1, 2], limit: 5 })).toBe(
      hashQuery({ b: [1, 2], a: 1, cursor: "x", limit: 50 }),
    );
    expect(hashQuery({ a: 1 })).not.toBe(hashQuery({ a: 2 }));
  });
});
