// Routes ARI requests using the fake's own Swagger description, so the paths,
// methods and parameters the fake accepts are exactly the ones it advertises.
// Parameters are read the way Asterisk reads them: query string (or a JSON
// body object), allowMultiple values comma-separated, defaults applied.
import { apiDeclarations, FAKE_RESOURCE_NAMES, type FakeResourceName, type SwaggerOperation, type SwaggerParameter } from './api-docs/index.js';
import { AriHttpError } from './errors.js';

type ParamValue = string | number | boolean | string[];

/** Typed access to one request's parameters (already validated against the description). */
export class OperationParams {
  constructor(private readonly values: ReadonlyMap<string, ParamValue>) {}

  string(name: string): string | undefined {
    const value = this.values.get(name);
    return value === undefined ? undefined : String(value);
  }

  /** For parameters the description marks required (presence already checked). */
  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new AriHttpError(400, `Missing parameter ${name}`);
    return value;
  }

  int(name: string): number | undefined {
    const value = this.values.get(name);
    return typeof value === 'number' ? value : undefined;
  }

  bool(name: string): boolean | undefined {
    const value = this.values.get(name);
    return typeof value === 'boolean' ? value : undefined;
  }

  /** A LIST-valued parameter, narrowed to the values the description allows. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const match = allowed.find((candidate) => candidate === value);
    if (match === undefined) throw new AriHttpError(400, `Invalid value for ${name}`);
    return match;
  }

  list(name: string): string[] {
    const value = this.values.get(name);
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [String(value)];
  }
}

export interface Route {
  resource: FakeResourceName;
  /** The handler key: "<resource>.<nickname>", e.g. "channels.answer". */
  key: string;
  operation: SwaggerOperation;
  segments: string[];
}

export type RouteMatch = { route: Route; pathParams: Map<string, string> } | { error: AriHttpError };

export function buildRoutes(): Route[] {
  const routes: Route[] = [];
  for (const resource of FAKE_RESOURCE_NAMES) {
    for (const api of apiDeclarations[resource].apis) {
      for (const operation of api.operations) {
        routes.push({ resource, key: `${resource}.${operation.nickname}`, operation, segments: api.path.split('/').slice(1) });
      }
    }
  }
  return routes;
}

/** ariPath is the part after /ari, still percent-encoded (so %2F stays inside one segment). */
export function matchRoute(routes: Route[], method: string, ariPath: string): RouteMatch {
  const requestSegments = ariPath.split('/').slice(1);
  let pathMatched = false;
  for (const route of routes) {
    const pathParams = matchSegments(route.segments, requestSegments);
    if (!pathParams) continue;
    pathMatched = true;
    if (route.operation.httpMethod === method) return { route, pathParams };
  }
  return pathMatched
    ? { error: new AriHttpError(405, 'Invalid method') }
    : { error: new AriHttpError(404, 'Resource not found') };
}

function matchSegments(template: string[], actual: string[]): Map<string, string> | undefined {
  if (template.length !== actual.length) return undefined;
  const params = new Map<string, string>();
  for (const [i, part] of template.entries()) {
    const value = actual[i] ?? '';
    const name = /^\{(.+)\}$/.exec(part)?.[1];
    if (name !== undefined) {
      if (value === '') return undefined;
      params.set(name, decodeURIComponent(value));
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}

export function parseParams(
  operation: SwaggerOperation,
  pathParams: Map<string, string>,
  query: URLSearchParams,
  body: unknown,
): OperationParams {
  const values = new Map<string, ParamValue>();
  const bodyFields = isPlainObject(body) ? body : {};
  for (const param of operation.parameters ?? []) {
    if (param.paramType === 'path') {
      const value = pathParams.get(param.name);
      if (value !== undefined) values.set(param.name, value);
      continue;
    }
    const raw = rawValues(param, query, bodyFields);
    if (raw.length === 0) {
      if (param.required) throw new AriHttpError(400, `Missing parameter ${param.name}`);
      if (param.defaultValue !== undefined) values.set(param.name, param.defaultValue);
      continue;
    }
    values.set(param.name, convert(param, raw));
  }
  return new OperationParams(values);
}

function rawValues(param: SwaggerParameter, query: URLSearchParams, body: Record<string, unknown>): string[] {
  let raw = query.getAll(param.name);
  const fromBody = body[param.name];
  if (raw.length === 0 && fromBody !== undefined && fromBody !== null) {
    raw = Array.isArray(fromBody) ? fromBody.map(String) : [String(fromBody)];
  }
  // Repeated (?media=a&media=b) and comma-separated (?media=a,b) both accepted.
  return param.allowMultiple ? raw.flatMap((value) => value.split(',')).filter((v) => v !== '') : raw;
}

function convert(param: SwaggerParameter, raw: string[]): ParamValue {
  const last = raw[raw.length - 1] ?? '';
  const invalid = () => new AriHttpError(400, `Invalid value for ${param.name}`);
  if (param.allowMultiple) {
    const allowed = param.allowableValues?.valueType === 'LIST' ? param.allowableValues.values : undefined;
    if (allowed && raw.some((v) => !allowed.includes(v))) throw invalid();
    return raw;
  }
  switch (param.dataType) {
    case 'int': {
      if (!/^-?\d+$/.test(last)) throw invalid();
      const n = Number(last);
      const range = param.allowableValues;
      if (range?.valueType === 'RANGE' && ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max))) {
        throw invalid();
      }
      return n;
    }
    case 'boolean':
      // Asterisk's ast_true()/ast_false() spellings.
      if (/^(yes|true|y|t|1|on)$/i.test(last)) return true;
      if (/^(no|false|n|f|0|off)$/i.test(last)) return false;
      throw invalid();
    default:
      if (param.allowableValues?.valueType === 'LIST' && !param.allowableValues.values.includes(last)) throw invalid();
      return last;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
