// Checks real responses against the OpenAPI 3.1 document the gateway serves: the status must be documented for
// the operation, the content type too, and the body must match its schema with no undocumented field.

import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;

export interface OpenApiResponse {
  description?: string;
  headers?: Record<string, Json>;
  content?: Record<string, { schema?: Json }>;
}
export interface OpenApiOperation {
  operationId?: string;
  responses: Record<string, OpenApiResponse | Json>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Json>; headers?: Record<string, Json> };
}

/** What a checked call answered. */
export interface Checked<T> {
  status: number;
  headers: Headers;
  body: T;
}

const METHODS = ["get", "put", "post", "delete", "patch"];
const COMPONENT = "#/components/schemas/";
const DEFS = "https://edge-shop.test/components#/$defs/";
const OPEN = "__open";

// Closes every object schema (`unevaluatedProperties: false`) so an undocumented field fails, except the
// branches of an `allOf`, which the allOf itself closes (each branch alone sees only its own properties).
function closed(schema: unknown, open = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closed(s));
  if (!schema || typeof schema !== "object") return schema;
  const s = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT)) {
      out.$ref = `${DEFS}${value.slice(COMPONENT.length)}${open ? OPEN : ""}`;
    } else if (key === "allOf" && Array.isArray(value)) {
      out.allOf = value.map((branch) => closed(branch, true));
    } else if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closed(v)]));
    } else if (["items", "additionalProperties", "anyOf", "oneOf", "not"].includes(key)) {
      out[key] = closed(value);
    } else {
      out[key] = value;
    }
  }
  const objectLike = "properties" in s || "allOf" in s;
  if (!open && objectLike && !("additionalProperties" in s) && !("unevaluatedProperties" in s)) {
    out.unevaluatedProperties = false;
  }
  return out;
}

function templateRegex(template: string): RegExp {
  const literal = (part: string) => part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
  return new RegExp(
    `^${template
      .split(/\{[^}]+\}/)
      .map(literal)
      .join("[^/]+")}$`,
  );
}

/** The document's operations, response validators, and which operations the checks have exercised. */
export class Contract {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly operations: { method: string; template: string; regex: RegExp; op: OpenApiOperation }[];
  /** `METHOD /template` → statuses seen. */
  readonly exercised = new Map<string, Set<number>>();

  constructor(readonly document: OpenApiDocument) {
    // strictTypes off: an allOf that is closed has no `type` of its own, and 3.1 nullables are type unions.
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
    addFormats(this.ajv);
    // OpenAPI's own annotation keywords; `password` is an annotation-only format.
    this.ajv.addVocabulary(["example", "xml", "externalDocs", "discriminator"]);
    this.ajv.addFormat("password", true);
    const defs: Json = {};
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      defs[name] = closed(schema);
      defs[`${name}${OPEN}`] = closed(schema, true);
    }
    this.ajv.addSchema({ $id: DEFS.replace("#/$defs/", ""), $defs: defs });
    this.operations = Object.entries(document.paths).flatMap(([template, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({
        method: m.toUpperCase(),
        template,
        regex: templateRegex(template),
        op: item[m] as OpenApiOperation,
      })),
    );
  }

  /** Every documented operation as `METHOD /path/{template}`. */
  operationKeys(): string[] {
    return this.operations.map((o) => `${o.method} ${o.template}`);
  }

  private find(method: string, path: string) {
    const pathname = path.split("?")[0] ?? path;
    // A literal template wins over one with a parameter (`/api/payments/webhook` before `/{id}`-like ones).
    const candidates = this.operations.filter((o) => o.method === method && o.regex.test(pathname));
    return candidates.sort((a, b) => a.template.split("{").length - b.template.split("{").length)[0];
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(closed(schema) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Checks a response against the document and answers its parsed body; throws a readable error otherwise. */
  async check<T = unknown>(method: string, path: string, response: Response): Promise<Checked<T>> {
    const where = `${method} ${path} → ${response.status}`;
    const text = await response.text();
    const found = this.find(method, path);
    if (!found) throw new Error(`${where}: no operation of the document matches ${method} ${path}`);
    const key = `${found.method} ${found.template}`;
    const documented = found.op.responses;
    const status = String(response.status);
    const entry = (documented[status] ?? documented[`${status[0]}XX`] ?? documented.default) as
      | OpenApiResponse
      | undefined;
    if (!entry) {
      throw new Error(
        `${where}: status ${status} is not documented for ${key} (documented: ${Object.keys(documented).join(", ")}). Body: ${text.slice(0, 500)}`,
      );
    }
    this.checkHeaders(where, entry, response.headers);
    const body = this.checkBody(where, key, status, entry, response, text);
    const seen = this.exercised.get(key) ?? new Set<number>();
    seen.add(response.status);
    this.exercised.set(key, seen);
    return { status: response.status, headers: response.headers, body: body as T };
  }

  private checkHeaders(where: string, entry: OpenApiResponse, headers: Headers): void {
    for (const [name, documented] of Object.entries(entry.headers ?? {})) {
      const header = this.resolveHeader(documented);
      const value = headers.get(name);
      if (value === null) {
        if (header.required === true) throw new Error(`${where}: the required header ${name} is missing`);
        continue;
      }
      const schema = header.schema as Json | undefined;
      if (!schema) continue;
      const typed = schema.type === "integer" || schema.type === "number" ? Number(value) : value;
      const validate = this.validator(`header ${JSON.stringify(schema)}`, schema);
      if (!validate(typed)) {
        throw new Error(
          `${where}: header ${name}: ${JSON.stringify(value)} does not match ${JSON.stringify(schema)}`,
        );
      }
    }
  }

  private resolveHeader(header: Json): Json {
    const ref = header.$ref;
    if (typeof ref !== "string") return header;
    const resolved = this.document.components?.headers?.[ref.replace("#/components/headers/", "")];
    if (!resolved) throw new Error(`unresolvable header reference ${ref}`);
    return resolved;
  }

  private checkBody(
    where: string,
    key: string,
    status: string,
    entry: OpenApiResponse,
    response: Response,
    text: string,
  ): unknown {
    const content = entry.content ?? {};
    const mediaTypes = Object.keys(content);
    if (text.length === 0) {
      if (mediaTypes.length > 0)
        throw new Error(`${where}: empty body, documented: ${mediaTypes.join(", ")}`);
      return undefined;
    }
    const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
    const media = content[type];
    if (!media) {
      throw new Error(
        `${where}: content type "${type}" is not documented (documented: ${mediaTypes.join(", ") || "no body"}). Body: ${text.slice(0, 300)}`,
      );
    }
    // A picture (GET /media/…) is checked by its documented content type only.
    if (!/^application\/([a-z.+-]*\+)?json$/.test(type)) return text;
    const body: unknown = JSON.parse(text);
    if (!media.schema) return body;
    const validate = this.validator(`${key} ${status} ${type}`, media.schema);
    if (!validate(body)) {
      const problems = (validate.errors ?? [])
        .map(
          (e) =>
            `${e.instancePath || "(body)"} ${e.message ?? ""}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
        )
        .join("; ");
      throw new Error(
        `${where}: the body does not match the documented schema: ${problems}. Body: ${text.slice(0, 800)}`,
      );
    }
    if (type === "application/problem+json" && (body as { status?: unknown }).status !== response.status) {
      throw new Error(`${where}: the problem's status differs from the HTTP status. Body: ${text}`);
    }
    return body;
  }
}
