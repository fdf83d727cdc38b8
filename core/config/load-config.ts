import { DEFAULT_SEND_WINDOW, parseSendWindow, type SendWindow } from '../compliance/quiet-hours.js';
import { SETTINGS, type SettingSpec } from './schema.js';
import { readSmppConfig, type SmppConfig } from './smpp-settings.js';

export type Role = 'ari' | 'sms' | 'admin';
const ALL_ROLES: readonly Role[] = ['ari', 'sms', 'admin'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  roles: Role[];
  ari?: { url: string; username: string; password: string; app: string };
  amiUrl?: string;
  /** SMSC connections and routing; absent without SMPP_URL / SMPP_URLS. */
  smpp?: SmppConfig;
  smppSourceAddr: string;
  /** Seconds the parts of a long incoming text are awaited, from its first part. */
  smsPartsTimeoutSeconds: number;
  admin: { host: string; port: number; apiKey?: string };
  businessName: string;
  defaultCountry: string;
  ivr: { dtmfTimeoutSeconds: number; soundPrefix: string };
  /** Days a consent record keeps its personal content before `mcr purge-consents` erases it. */
  consentRetentionDays: number;
  /** The default quiet hours: the window texts may go in, recipient's local time. */
  quietHours: SendWindow;
  speechEngine: 'off' | 'pocketsphinx' | 'google';
  /** Staff alerts, digests and reports (issue 8). */
  alerts: {
    smtpUrl?: string;
    mailFrom: string;
    partDownAlertMinutes: number;
    managerEscalationMinutes: number;
  };
  /** Messages callers leave in the IVR. */
  messages: { offer: boolean; maxSeconds: number };
  logLevel: LogLevel;
}

/** Thrown with every problem found, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const raw = (spec: SettingSpec): string | undefined => {
    const value = env[spec.env];
    if (value === undefined || value.trim() === '') return spec.default;
    return value.trim();
  };
  const read = <T>(spec: SettingSpec, parse: (value: string) => T | string): T | undefined => {
    const value = raw(spec);
    if (value === undefined) return undefined;
    const parsed = parse(value);
    // Parsers report a problem by returning an Error-shaped string prefixed with '!'.
    if (typeof parsed === 'string' && parsed.startsWith('!')) {
      problems.push(`${spec.env}: ${parsed.slice(1)}`);
      return undefined;
    }
    return parsed as T;
  };

  const databaseUrl = read(SETTINGS.databaseUrl, url(SETTINGS.databaseUrl.schemes));
  const dataDir = read(SETTINGS.dataDir, (v) => v) ?? './data';
  const roles = read(SETTINGS.roles, parseRoles) ?? [...ALL_ROLES];
  const ariUrl = read(SETTINGS.ariUrl, url(SETTINGS.ariUrl.schemes));
  const ariUsername = read(SETTINGS.ariUsername, (v) => v) ?? '';
  const ariPassword = read(SETTINGS.ariPassword, (v) => v);
  const ariApp =
    read(SETTINGS.ariApp, (v) => (/^[A-Za-z0-9_.-]+$/.test(v) ? v : '!use letters, digits, dot, dash and underscore only')) ??
    'missed-call-recovery';
  const amiUrl = read(SETTINGS.amiUrl, url(SETTINGS.amiUrl.schemes));
  const smppUrl = read(SETTINGS.smppUrl, url(SETTINGS.smppUrl.schemes));
  const smppSourceAddr = read(SETTINGS.smppSourceAddr, (v) => (v.length <= 20 ? v : '!at most 20 characters')) ?? 'MCR';
  const smsPartsTimeoutSeconds =
    read(SETTINGS.smsPartsTimeoutSeconds, integer(SETTINGS.smsPartsTimeoutSeconds.min, SETTINGS.smsPartsTimeoutSeconds.max)) ?? 240;
  const choice = <T extends string>(spec: SettingSpec, choices: readonly T[], fallback: T): T =>
    read<T>(spec, (v) => ((choices as readonly string[]).includes(v) ? (v as T) : `!one of ${choices.join(', ')}`)) ?? fallback;
  const smpp = readSmppConfig(
    {
      url: smppUrl,
      urls: read(SETTINGS.smppUrls, (v) => v),
      routes: read(SETTINGS.smppRoutes, (v) => v),
      sourceAddr: smppSourceAddr,
      bind: choice(SETTINGS.smppBind, ['transceiver', 'split'] as const, 'transceiver'),
      window: read(SETTINGS.smppWindow, integer(SETTINGS.smppWindow.min, SETTINGS.smppWindow.max)) ?? 10,
      maxPerSecond: read(SETTINGS.smppMaxPerSecond, integer(SETTINGS.smppMaxPerSecond.min, SETTINGS.smppMaxPerSecond.max)) ?? 20,
      concatenation: choice(SETTINGS.smppConcatenation, ['udh', 'sar'] as const, 'udh'),
    },
    problems,
  );
  const adminHost = read(SETTINGS.adminHost, (v) => v) ?? '127.0.0.1';
  const adminPort = read(SETTINGS.adminPort, integer(0, 65535)) ?? 3000;
  const adminApiKey = read(SETTINGS.adminApiKey, (v) =>
    v.length >= 24 ? v : '!must be at least 24 characters (use `mcr create-api-key` to make one)',
  );
  const businessName = read(SETTINGS.businessName, (v) => (v.length <= 80 ? v : '!at most 80 characters')) ?? 'Acme Plumbing';
  const defaultCountry =
    read(SETTINGS.defaultCountry, (v) =>
      /^[A-Z]{2}$/.test(v.toUpperCase()) ? v.toUpperCase() : '!an ISO 3166 two-letter code such as US',
    ) ?? 'US';
  const dtmfTimeoutSeconds =
    read(SETTINGS.dtmfTimeoutSeconds, integer(SETTINGS.dtmfTimeoutSeconds.min, SETTINGS.dtmfTimeoutSeconds.max)) ?? 8;
  const soundPrefix = read(SETTINGS.soundPrefix, (v) => v) ?? 'sound:';
  const speechEngine =
    read<Config['speechEngine']>(SETTINGS.speechEngine, (v) =>
      ['off', 'pocketsphinx', 'google'].includes(v) ? (v as Config['speechEngine']) : '!one of off, pocketsphinx, google',
    ) ?? 'off';
  const consentRetentionDays =
    read(SETTINGS.consentRetentionDays, integer(SETTINGS.consentRetentionDays.min, SETTINGS.consentRetentionDays.max)) ?? 1826;
  const quietHours =
    read(SETTINGS.quietHours, (v) => parseSendWindow(v) ?? '!HH:MM-HH:MM with the start before the end, e.g. 08:00-20:00') ??
    DEFAULT_SEND_WINDOW;
  const smtpUrl = read(SETTINGS.smtpUrl, url(SETTINGS.smtpUrl.schemes));
  const mailFrom = read(SETTINGS.mailFrom, (v) => (v.length <= 200 && !/[\r\n]/.test(v) ? v : '!one line, at most 200 characters')) ?? '';
  const partDownAlertMinutes =
    read(SETTINGS.partDownAlertMinutes, integer(SETTINGS.partDownAlertMinutes.min, SETTINGS.partDownAlertMinutes.max)) ?? 5;
  const managerEscalationMinutes =
    read(SETTINGS.managerEscalationMinutes, integer(SETTINGS.managerEscalationMinutes.min, SETTINGS.managerEscalationMinutes.max)) ?? 30;
  const offerMessage = choice(SETTINGS.ivrOfferMessage, ['on', 'off'] as const, 'on') === 'on';
  const messageMaxSeconds = read(SETTINGS.messageMaxSeconds, integer(SETTINGS.messageMaxSeconds.min, SETTINGS.messageMaxSeconds.max)) ?? 120;
  const logLevel =
    read<LogLevel>(SETTINGS.logLevel, (v) =>
      (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : `!one of ${LOG_LEVELS.join(', ')}`,
    ) ?? 'info';

  if (ariUrl && !ariPassword) problems.push(`${SETTINGS.ariPassword.env}: required when ${SETTINGS.ariUrl.env} is set`);
  if (roles.includes('ari') && !ariUrl && env[SETTINGS.roles.env]?.includes('ari')) {
    problems.push(`${SETTINGS.ariUrl.env}: required when ROLES names ari`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    databaseUrl,
    dataDir,
    roles,
    ari: ariUrl && ariPassword ? { url: ariUrl, username: ariUsername, password: ariPassword, app: ariApp } : undefined,
    amiUrl,
    smpp,
    smppSourceAddr,
    smsPartsTimeoutSeconds,
    admin: { host: adminHost, port: adminPort, apiKey: adminApiKey },
    businessName,
    defaultCountry,
    ivr: { dtmfTimeoutSeconds, soundPrefix },
    consentRetentionDays,
    quietHours,
    speechEngine,
    alerts: { smtpUrl, mailFrom, partDownAlertMinutes, managerEscalationMinutes },
    messages: { offer: offerMessage, maxSeconds: messageMaxSeconds },
    logLevel,
  };
}

function url(schemes: readonly string[] | undefined) {
  return (value: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      return '!not a valid URL';
    }
    const scheme = parsed.protocol.replace(/:$/, '');
    if (schemes && !schemes.includes(scheme)) return `!scheme must be one of ${schemes.map((s) => `${s}://`).join(', ')}`;
    if (!parsed.hostname) return '!has no host';
    return value;
  };
}

function integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number | string => {
    if (!/^-?\d+$/.test(value)) return '!must be a whole number';
    const n = Number(value);
    if (n < min || n > max) return `!must be between ${min} and ${max}`;
    return n;
  };
}

function parseRoles(value: string): Role[] | string {
  const names = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = names.filter((r) => !(ALL_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) return `!unknown role(s) ${unknown.join(', ')}; use ${ALL_ROLES.join(', ')}`;
  if (names.length === 0) return '!name at least one role';
  return [...new Set(names)] as Role[];
}

/** A URL with its password replaced, safe to log or show in /healthz. */
export function redactUrl(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[invalid url]';
  }
}
