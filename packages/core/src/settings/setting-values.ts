/** Helpers connectors use to read their settings the same way. */

/** A string setting or variable, trimmed; empty counts as unset. */
export function nonEmptySetting(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * A URL setting (an API root, a token endpoint), without trailing slashes. Refuses anything but an absolute
 * http(s) URL without credentials, query or fragment: a URL a credential will be sent to must be exactly
 * what the operator meant. `name` names the setting and variable in the error.
 */
export function parseUrlSetting(value: string, name: string): string {
  const raw = value.trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`${name} "${raw}" is not an absolute URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`${name} must be http(s), got ${url.protocol}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(`${name} must not carry credentials, a query or a fragment.`);
  }
  return raw;
}
