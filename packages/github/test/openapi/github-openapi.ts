import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formats from "ajv-formats";

/**
 * GitHub's official OpenAPI description (`@octokit/openapi`), for checking fixtures and wire schemas against it.
 *
 * The package is ~400 MB of descriptions (GHES, GHEC, dereferenced copies); this reads exactly one file,
 * `generated/api.github.com.json` (~13 MB, OpenAPI 3.0 with `$ref`s into `components`), once per module
 * instance (so once per test file), and never imports the package root.
 */

/** A schema node of the description: OpenAPI 3.0 Schema Object, loosely typed. */
export type OpenApiSchema = { [keyword: string]: any };

export interface OpenApiDocument {
  openapi: string;
  info: { version: string; title?: string };
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, OpenApiSchema>; responses: Record<string, any> };
}

export interface ResponseSchema {
  /** As written in the description, e.g. `GET /repos/{owner}/{repo}/contents/{path}`. */
  endpoint: string;
  status: number;
  /** The `application/json` schema, `$ref`s as in the description. */
  schema: OpenApiSchema;
  /** `#/components/responses/...` when the response is a shared one (not_found, validation_failed, ...). */
  sharedResponse?: string;
}

export interface ValidationResult {
  valid: boolean;
  /** One line per problem: JSON pointer into the value, what is wrong, and where the schema says so. */
  errors: string[];
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
/** `$id` under which the converted `components.schemas` are registered with Ajv. */
const COMPONENTS_ID = "https://api.github.com/openapi/components.json";

/** The description's file, resolved through the package's own package.json (no `main`, no root import). */
export function githubOpenApiFile(): string {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve("@octokit/openapi/package.json"));
  return path.join(packageDir, "generated", "api.github.com.json");
}

let cachedDocument: OpenApiDocument | undefined;

export function loadGithubOpenApi(): OpenApiDocument {
  cachedDocument ??= JSON.parse(readFileSync(githubOpenApiFile(), "utf8")) as OpenApiDocument;
  return cachedDocument;
}

/** `{owner}` and `{org}` are the same slot: templates are compared with their parameter names blanked. */
const templateKey = (template: string) => template.replace(/\{[^}]+\}/g, "{}");

let pathIndex: Map<string, string> | undefined;

/**
 * Finds an operation from `METHOD /path/{template}` as the connector writes it (parameter names may differ
 * from the description's). Throws when the description has no such operation.
 */
export function findOperation(endpoint: string): { method: string; path: string; operation: any } {
  const match = /^([A-Za-z]+)\s+(\/\S*)$/.exec(endpoint.trim());
  if (!match) throw new Error(`not an endpoint: "${endpoint}" (expected "METHOD /path")`);
  const method = match[1]!.toLowerCase();
  const doc = loadGithubOpenApi();
  if (!pathIndex) {
    pathIndex = new Map(Object.keys(doc.paths).map((p) => [templateKey(p), p]));
  }
  const documentedPath = pathIndex.get(templateKey(match[2]!));
  const operation = documentedPath ? doc.paths[documentedPath]?.[method] : undefined;
  if (!documentedPath || !METHODS.has(method) || !operation) {
    throw new Error(`GitHub's OpenAPI description has no operation ${method.toUpperCase()} ${match[2]}`);
  }
  return { method, path: documentedPath, operation };
}

/** Follows `$ref`s (`#/components/...`) until a node without one. */
export function resolveRef<T = OpenApiSchema>(node: any): T {
  let current = node;
  const seen = new Set<string>();
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const ref: string = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    current = resolvePointer(ref);
  }
  return current as T;
}

function resolvePointer(ref: string): any {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: any = loadGithubOpenApi();
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = node?.[key];
    if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  }
  return node;
}

/** The documented `application/json` response schema of an endpoint for a status code. */
export function responseSchema(endpoint: string, status: number): ResponseSchema {
  const { method, path: documentedPath, operation } = findOperation(endpoint);
  const documented = `${method.toUpperCase()} ${documentedPath}`;
  const raw = operation.responses?.[String(status)];
  if (!raw) {
    const statuses = Object.keys(operation.responses ?? {}).join(", ");
    throw new Error(`${documented} documents no ${status} response (it documents ${statuses})`);
  }
  const response = resolveRef<any>(raw);
  const schema = response?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${documented} ${status} has no application/json schema`);
  return {
    endpoint: documented,
    status,
    schema,
    ...(typeof raw.$ref === "string" ? { sharedResponse: raw.$ref } : {}),
  };
}

/**
 * OpenAPI 3.0 -> JSON Schema for Ajv: `nullable: true` becomes a `null` type (or `anyOf` with `{type: null}`
 * when there is no `type`; `null` joins an `enum`, which GitHub's description often leaves out although its
 * nullable enums do come back null), and local `$ref`s point at the registered components.
 */
function toJsonSchema(node: any): any {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable" || key === "example" || key === "examples") continue;
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/")) {
      out.$ref = `${COMPONENTS_ID}${value}`;
    } else if (key === "properties" && value && typeof value === "object") {
      // Property names are data, not keywords: convert each value, never the map itself.
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (node.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  if (Array.isArray(out.type))
    return out.type.includes("null") ? out : { ...out, type: [...out.type, "null"] };
  return { anyOf: [{ type: "null" }, out] };
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (ajv) return ajv;
  const doc = loadGithubOpenApi();
  ajv = new Ajv({
    // OpenAPI keywords (discriminator, example, x-github, readOnly, deprecated, ...) are annotations here.
    strict: false,
    allErrors: true,
    validateSchema: false,
    // Formats GitHub uses that are not JSON Schema's own (int64) are checked by ajv-formats where it can.
    logger: false,
  });
  formats.default(ajv);
  ajv.addSchema(
    {
      $id: COMPONENTS_ID,
      components: {
        schemas: Object.fromEntries(
          Object.entries(doc.components.schemas).map(([name, schema]) => [name, toJsonSchema(schema)]),
        ),
      },
    },
    COMPONENTS_ID,
  );
  return ajv;
}

function validatorFor(endpoint: string, status: number): ValidateFunction {
  const key = `${templateKey(endpoint)} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const { schema } = responseSchema(endpoint, status);
    validate = getAjv().compile(toJsonSchema(schema));
    validators.set(key, validate);
  }
  return validate;
}

const describeError = (error: ErrorObject) => {
  const where = error.instancePath || "(root)";
  const detail =
    error.keyword === "additionalProperties" ? ` (${String(error.params.additionalProperty)})` : "";
  return `${where} ${error.message ?? error.keyword}${detail} [${error.schemaPath.replace(COMPONENTS_ID, "")}]`;
};

/** Validates a JSON value against the documented response schema of `endpoint` for `status`. */
export function validateResponse(endpoint: string, status: number, value: unknown): ValidationResult {
  const validate = validatorFor(endpoint, status);
  const valid = validate(value) === true;
  const errors = valid ? [] : dedupe((validate.errors ?? []).map(describeError));
  return { valid, errors };
}

/** Validates against a named component schema, e.g. `basic-error`. */
export function validateComponent(name: string, value: unknown): ValidationResult {
  const key = `#component ${name}`;
  let validate = validators.get(key);
  if (!validate) {
    if (!loadGithubOpenApi().components.schemas[name]) throw new Error(`no component schema "${name}"`);
    validate = getAjv().compile({ $ref: `${COMPONENTS_ID}#/components/schemas/${name}` });
    validators.set(key, validate);
  }
  const valid = validate(value) === true;
  return { valid, errors: valid ? [] : dedupe((validate.errors ?? []).map(describeError)) };
}

const dedupe = (lines: string[]) => [...new Set(lines)];
