/**
 * URL patterns for sandbox handlers. A fake upstream is mounted at one or more *bases*:
 *
 * - an absolute URL (`https://api.github.com`, `https://ghe.example.com/api/v3`): that origin and path prefix;
 * - a path (`/github`): that prefix on any origin, which is how the loopback server mounts upstreams, so a
 *   request sent to `localhost:PORT` or `127.0.0.1:PORT` matches alike and links point back where it came in.
 *
 * Patterns compile to anchored regular expressions (MSW accepts them as paths and returns named groups as
 * params). The base is captured as the `sandboxBase` param: handlers build absolute URLs from it.
 */

export const BASE_PARAM = "sandboxBase";

const ANY_ORIGIN = "[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Removes one trailing slash (and only that) from a base path or URL. */
export function trimTrailingSlash(value: string): string {
  return value.length > 1 && value.endsWith("/") ? value.slice(0, -1) : value;
}

/** Validates bases and returns them normalised (no trailing slash), longest first so prefixes nest properly. */
export function normalizeBases(bases: string | readonly string[]): string[] {
  const list = (typeof bases === "string" ? [bases] : [...bases]).map((base) => {
    if (base.startsWith("/")) {
      if (/[?#]/.test(base)) throw new TypeError(`A sandbox base path has no query or fragment: ${base}`);
      return base === "/" ? "" : trimTrailingSlash(base);
    }
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new TypeError(
        `A sandbox base is an absolute URL or a path starting with "/": ${JSON.stringify(base)}`,
      );
    }
    if (url.search || url.hash) throw new TypeError(`A sandbox base URL has no query or fragment: ${base}`);
    return trimTrailingSlash(`${url.origin}${url.pathname === "/" ? "" : url.pathname}`);
  });
  if (list.length === 0) throw new TypeError("A sandbox upstream needs at least one base.");
  return list.sort((a, b) => b.length - a.length);
}

/** The regular-expression source matching any of `bases`, captured as the `sandboxBase` group. */
export function baseSource(bases: readonly string[]): string {
  const alternatives = bases.map((base) =>
    base === "" || base.startsWith("/") ? `${ANY_ORIGIN}${escapeRegExp(base)}` : escapeRegExp(base),
  );
  return `(?<${BASE_PARAM}>${alternatives.join("|")})`;
}

/**
 * Compiles a route such as `/repos/:owner/:repo/contents/*path` to a source fragment: `:name` is one path
 * segment, `*name` (or a bare `*`) is the rest of the path including slashes.
 */
export function pathSource(route: string): string {
  if (!route.startsWith("/")) throw new TypeError(`A route starts with "/": ${route}`);
  return route
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) return `(?<${segment.slice(1)}>[^/]+)`;
      if (segment === "*") return ".+";
      if (segment.startsWith("*")) return `(?<${segment.slice(1)}>.+)`;
      return escapeRegExp(segment);
    })
    .join("/");
}

/** An anchored regular expression for `route` under any of `bases`. */
export function routeRegExp(bases: readonly string[], route: string): RegExp {
  return new RegExp(`^${baseSource(bases)}${route === "" ? "" : pathSource(route)}$`);
}

/** Everything under any of `bases` (the base itself included); the rest of the path is the `sandboxRest` param. */
export function underBasesRegExp(bases: readonly string[]): RegExp {
  return new RegExp(`^${baseSource(bases)}(?<sandboxRest>/.*)?$`);
}

/** A route matcher on paths relative to a base (for fault scoping): `/repos/:owner/*`, `/search/issues`. */
export function relativeRouteRegExp(route: string): RegExp {
  return new RegExp(`^${pathSource(route)}$`);
}
