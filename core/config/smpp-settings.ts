/**
 * The SMSC connections and the rule that picks one per text, read from
 * SMPP_URL, SMPP_URLS, SMPP_ROUTES and the per-connection defaults. Plain data:
 * the SMS gateway builds its connections from it.
 */
export type SmppBindMode = 'transceiver' | 'split';
export type SmppConcatenation = 'udh' | 'sar';

export interface SmppConnectionConfig {
  /** `default` for SMPP_URL, else the name given in SMPP_URLS. */
  name: string;
  /** `smpp://system_id:password@host:port` (query parameters already read into the fields below). */
  url: string;
  /** One transceiver bind, or a transmitter bind to send and a receiver bind to receive. */
  bind: SmppBindMode;
  /** submit_sm written and not yet answered, at most. */
  window: number;
  /** submit_sm per second at most; 0: no cap. */
  maxPerSecond: number;
  concatenation: SmppConcatenation;
  systemType: string;
}

export interface SmppRouteConfig {
  /** `sender`: the text's source address; `business`: the business id. */
  match: 'sender' | 'business';
  /** Exact value, or a prefix when it ends with `*`. */
  value: string;
  connection: string;
}

export interface SmppConfig {
  /** The default connection's URL (what `mcr doctor` binds to). */
  url: string;
  sourceAddr: string;
  /** The default connection first. */
  connections: SmppConnectionConfig[];
  routes: SmppRouteConfig[];
}

export interface SmppSettingsInput {
  url?: string;
  urls?: string;
  routes?: string;
  sourceAddr: string;
  bind: SmppBindMode;
  window: number;
  maxPerSecond: number;
  concatenation: SmppConcatenation;
}

const NAME = /^[A-Za-z0-9_-]{1,32}$/;
export const DEFAULT_CONNECTION = 'default';

/** Reads the SMPP settings; every problem goes into `problems` (prefixed with its variable). */
export function readSmppConfig(input: SmppSettingsInput, problems: string[]): SmppConfig | undefined {
  const connections: SmppConnectionConfig[] = [];
  if (input.url) {
    const connection = readConnection(DEFAULT_CONNECTION, input.url, input, (p) => problems.push(`SMPP_URL: ${p}`));
    if (connection) connections.push(connection);
  }
  for (const entry of splitList(input.urls, ';')) {
    const at = entry.indexOf('=');
    const name = at > 0 ? entry.slice(0, at).trim() : '';
    const report = (p: string) => problems.push(`SMPP_URLS: ${name || entry.slice(0, 20)}: ${p}`);
    if (!NAME.test(name)) {
      report('write each connection as name=smpp://... (names: letters, digits, - and _)');
      continue;
    }
    if (connections.some((c) => c.name === name) || (name === DEFAULT_CONNECTION && input.url)) {
      report(`the name is used twice${name === DEFAULT_CONNECTION ? ' (SMPP_URL is `default`)' : ''}`);
      continue;
    }
    const connection = readConnection(name, entry.slice(at + 1).trim(), input, report);
    if (connection) connections.push(connection);
  }
  const routes: SmppRouteConfig[] = [];
  for (const entry of splitList(input.routes, /[;,]/)) {
    const match = /^(sender|business):([^=]+)=([A-Za-z0-9_-]+)$/.exec(entry.replace(/\s+/g, ''));
    if (!match) {
      problems.push(`SMPP_ROUTES: "${entry}" is not sender:<address>=<connection> or business:<id>=<connection>`);
      continue;
    }
    const [, kind, value, connection] = match as unknown as [string, 'sender' | 'business', string, string];
    if (!connections.some((c) => c.name === connection)) {
      problems.push(`SMPP_ROUTES: "${entry}" names a connection that SMPP_URL / SMPP_URLS do not define`);
      continue;
    }
    routes.push({ match: kind, value, connection });
  }
  const first = connections[0];
  if (!first) {
    if (routes.length > 0 || input.routes) problems.push('SMPP_ROUTES: set SMPP_URL or SMPP_URLS first');
    return undefined;
  }
  return { url: first.url, sourceAddr: input.sourceAddr, connections, routes };
}

function readConnection(
  name: string,
  raw: string,
  defaults: SmppSettingsInput,
  report: (problem: string) => void,
): SmppConnectionConfig | undefined {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    report('not a valid URL');
    return undefined;
  }
  if (parsed.protocol !== 'smpp:' && parsed.protocol !== 'ssmpp:') {
    report('scheme must be smpp:// or ssmpp://');
    return undefined;
  }
  if (!parsed.hostname) {
    report('has no host');
    return undefined;
  }
  const params = parsed.searchParams;
  const known = new Set(['bind', 'window', 'rate', 'concat', 'system_type']);
  const unknown = [...params.keys()].filter((k) => !known.has(k));
  if (unknown.length > 0) report(`unknown parameter(s) ${unknown.join(', ')}; use ${[...known].join(', ')}`);
  const bind = params.get('bind') ?? defaults.bind;
  const concat = params.get('concat') ?? defaults.concatenation;
  const window = readInteger(params.get('window'), defaults.window, 1, 1000, (p) => report(`window ${p}`));
  const rate = readInteger(params.get('rate'), defaults.maxPerSecond, 0, 10000, (p) => report(`rate ${p}`));
  if (bind !== 'transceiver' && bind !== 'split') report('bind must be transceiver or split');
  if (concat !== 'udh' && concat !== 'sar') report('concat must be udh or sar');
  if (unknown.length > 0 || window === undefined || rate === undefined) return undefined;
  if ((bind !== 'transceiver' && bind !== 'split') || (concat !== 'udh' && concat !== 'sar')) return undefined;
  // The connection's own settings are now in the fields: keep only where to bind and as whom.
  const url = new URL(parsed.toString());
  url.search = '';
  return {
    name,
    url: url.toString().replace(/\/$/, ''),
    bind,
    window,
    maxPerSecond: rate,
    concatenation: concat,
    systemType: params.get('system_type') ?? '',
  };
}

function readInteger(value: string | null, fallback: number, min: number, max: number, report: (p: string) => void): number | undefined {
  if (value === null) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    report(`must be a whole number from ${min} to ${max}`);
    return undefined;
  }
  return Number(value);
}

function splitList(value: string | undefined, separator: string | RegExp): string[] {
  return (value ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
}
