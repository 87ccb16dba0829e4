import { redactText, redactValue } from "@switchyard/core";

/**
 * Scrubs recorded upstream responses before they are written to `contract-tests/recordings/`: secrets go
 * through core's redaction (registered secrets, token shapes, secret-looking keys), and personal data is
 * replaced by deterministic placeholders. One scrubber is used for a whole recording run, so the same login
 * becomes the same `user-3` in every file and a recording stays internally consistent (an issue's author and
 * the URL of their profile still agree), while nothing in it identifies a person.
 *
 * Rules (data, below): values under e-mail keys, login keys and person-name keys are replaced; avatar and
 * profile-image URLs become a placeholder; `name` is treated as a person's name only inside a git actor or a
 * user-like object (one with a login or an e-mail), never for repositories, labels or files; e-mail addresses
 * and the logins and names seen anywhere are also replaced inside every other string (URLs, bodies).
 */

export interface ScrubRules {
  /** Keys whose value is an e-mail address. */
  readonly emailKeys: readonly string[];
  /** Keys whose value is an account handle (`login`, Slack `name` of a user is under userKeys). */
  readonly loginKeys: readonly string[];
  /** Keys whose value is a person's name. */
  readonly personNameKeys: readonly string[];
  /** Keys whose value is an opaque per-person id worth hiding (Jira accountId, Slack user ids stay). */
  readonly personIdKeys: readonly string[];
  /** Keys whose value is a picture of a person. */
  readonly imageKeys: readonly string[];
  /** Keys whose value is contact data (phone, skype). */
  readonly contactKeys: readonly string[];
  /**
   * Object keys holding a person (author, committer, user, owner, ...): inside them, `name` is a person's
   * name and `login`/`name` of a bot account too.
   */
  readonly personObjectKeys: readonly string[];
}

export const DEFAULT_SCRUB_RULES: ScrubRules = {
  emailKeys: ["email", "email_address", "emailAddress", "billing_email", "notification_email"],
  loginKeys: ["login", "username", "user_name", "screen_name"],
  personNameKeys: [
    "real_name",
    "real_name_normalized",
    "display_name",
    "display_name_normalized",
    "first_name",
    "last_name",
    "displayName",
  ],
  personIdKeys: ["accountId", "account_id", "gravatar_id"],
  imageKeys: [
    "avatar_url",
    "gravatar_url",
    "image_24",
    "image_32",
    "image_48",
    "image_72",
    "image_192",
    "image_512",
    "image_1024",
    "image_original",
    "avatarUrls",
  ],
  contactKeys: ["phone", "skype"],
  personObjectKeys: [
    "author",
    "committer",
    "user",
    "owner",
    "assignee",
    "assignees",
    "creator",
    "requested_reviewers",
    "merged_by",
    "closed_by",
    "actor",
    "sender",
    "reporter",
    "profile",
    "members",
  ],
};

const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IMAGE_PLACEHOLDER = "https://example.invalid/avatar.png";
/** Handles shorter than this are not replaced inside other strings: "ab" would mangle ordinary words. */
const MIN_GLOBAL_REPLACE_LENGTH = 3;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export interface Scrubber {
  /** A scrubbed deep copy; the same input always gives the same output within one scrubber. */
  scrub<T>(value: T): T;
  /** Scrubs a string (a URL, a header) with what the scrubber has learnt so far. */
  scrubText(text: string): string;
  /** The placeholders handed out so far, by kind (counts only: the real values are not exposed). */
  stats(): Record<"email" | "login" | "name" | "id", number>;
}

export function createScrubber(rules: ScrubRules = DEFAULT_SCRUB_RULES): Scrubber {
  const maps = {
    email: new Map<string, string>(),
    login: new Map<string, string>(),
    name: new Map<string, string>(),
    id: new Map<string, string>(),
  };
  const placeholder = (kind: keyof typeof maps, value: string): string => {
    const map = maps[kind];
    const known = map.get(value);
    if (known) return known;
    const index = map.size + 1;
    const next =
      kind === "email"
        ? `person-${index}@example.invalid`
        : kind === "login"
          ? `user-${index}`
          : kind === "name"
            ? `Person ${index}`
            : `id-${index}`;
    map.set(value, next);
    return next;
  };
  const is = (list: readonly string[], key: string) => list.includes(key);

  /** Pass 1: learn every login, name and e-mail in the value, so pass 2 can replace them inside any string. */
  function learn(value: unknown, key: string, inPerson: boolean, depth: number): void {
    if (depth > 64 || value === "") return;
    if (typeof value === "string") {
      if (is(rules.emailKeys, key) && value.includes("@")) placeholder("email", value);
      else if (is(rules.loginKeys, key)) placeholder("login", value);
      else if (is(rules.personNameKeys, key) || (key === "name" && inPerson)) placeholder("name", value);
      else if (is(rules.personIdKeys, key)) placeholder("id", value);
      for (const email of value.match(EMAIL_PATTERN) ?? []) placeholder("email", email);
      return;
    }
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value) learn(item, key, inPerson, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const personLike =
      inPerson ||
      is(rules.personObjectKeys, key) ||
      rules.loginKeys.some((name) => typeof record[name] === "string") ||
      rules.emailKeys.some((name) => typeof record[name] === "string");
    for (const [child, entry] of Object.entries(record)) learn(entry, child, personLike, depth + 1);
  }

  function replaceKnown(text: string): string {
    let result = text.replace(EMAIL_PATTERN, (email) => placeholder("email", email));
    // Longest first, so "octocat-bot" is not half-replaced by "octocat".
    const known = [...maps.login.entries(), ...maps.name.entries(), ...maps.id.entries()]
      .filter(([real]) => real.length >= MIN_GLOBAL_REPLACE_LENGTH)
      .sort((a, b) => b[0].length - a[0].length);
    for (const [real, fake] of known) {
      if (!result.includes(real)) continue;
      result = result.replace(
        new RegExp(`(^|[^A-Za-z0-9_-])${escapeRegExp(real)}(?=$|[^A-Za-z0-9_-])`, "g"),
        (_match, before: string) => `${before}${fake}`,
      );
    }
    return redactText(result);
  }

  /** Every string leaf of an image map (Jira's `avatarUrls`) becomes the placeholder; the shape stays. */
  function imagesOnly(value: unknown, depth: number): unknown {
    if (typeof value === "string") return IMAGE_PLACEHOLDER;
    if (value === null || typeof value !== "object" || depth > 64) return value;
    if (Array.isArray(value)) return value.map((item) => imagesOnly(item, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, imagesOnly(v, depth + 1)]));
  }

  /** Pass 2: replace. */
  function rewrite(value: unknown, key: string, inPerson: boolean, depth: number): unknown {
    if (depth > 64) return "[…]";
    if (value === "") return value;
    if (typeof value === "string") {
      if (is(rules.emailKeys, key) && value.includes("@")) return placeholder("email", value);
      if (is(rules.loginKeys, key)) return placeholder("login", value);
      if (is(rules.personNameKeys, key) || (key === "name" && inPerson)) return placeholder("name", value);
      if (is(rules.personIdKeys, key)) return placeholder("id", value);
      if (is(rules.imageKeys, key)) return IMAGE_PLACEHOLDER;
      if (is(rules.contactKeys, key)) return value === "" ? "" : "[REDACTED-CONTACT]";
      return replaceKnown(value);
    }
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((item) => rewrite(item, key, inPerson, depth + 1));
    if (is(rules.imageKeys, key)) return imagesOnly(value, depth);
    const record = value as Record<string, unknown>;
    const personLike =
      inPerson ||
      is(rules.personObjectKeys, key) ||
      rules.loginKeys.some((name) => typeof record[name] === "string") ||
      rules.emailKeys.some((name) => typeof record[name] === "string");
    return Object.fromEntries(
      Object.entries(record).map(([child, entry]) => [child, rewrite(entry, child, personLike, depth + 1)]),
    );
  }

  return {
    scrub<T>(value: T): T {
      learn(value, "", false, 0);
      // Core's redaction last: secret-looking keys ([REDACTED]) and token shapes in every string.
      return redactValue(rewrite(value, "", false, 0)) as T;
    },
    scrubText: (text) => replaceKnown(text),
    stats: () => ({
      email: maps.email.size,
      login: maps.login.size,
      name: maps.name.size,
      id: maps.id.size,
    }),
  };
}
