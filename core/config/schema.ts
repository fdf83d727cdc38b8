/**
 * Every setting the product reads, in one place: env name, meaning, format and
 * default. The README's configuration table is generated from this list
 * (`mcr config --markdown`), so the two cannot drift apart.
 */
export type SettingFormat = 'string' | 'url' | 'port' | 'host' | 'integer' | 'secret' | 'roles' | 'country' | 'level' | 'choice';

export interface SettingSpec {
  env: string;
  doc: string;
  format: SettingFormat;
  /** Absent means optional with no value. */
  default?: string;
  /** URL schemes accepted for `url` settings. */
  schemes?: string[];
  min?: number;
  max?: number;
}

export const SETTINGS = {
  databaseUrl: {
    env: 'DATABASE_URL',
    doc: 'PostgreSQL connection URL. Unset: an embedded PostgreSQL (PGlite) in `DATA_DIR/pgdata`, no server needed.',
    format: 'url',
    schemes: ['postgres', 'postgresql'],
  },
  dataDir: {
    env: 'DATA_DIR',
    doc: 'Folder for the embedded database and consent recordings (content-addressed by SHA-256).',
    format: 'string',
    default: './data',
  },
  roles: {
    env: 'ROLES',
    doc: 'Which parts this instance runs, comma-separated from `ari`, `sms`, `admin`. Several instances can share one PostgreSQL.',
    format: 'roles',
    default: 'ari,sms,admin',
  },
  ariUrl: {
    env: 'ARI_URL',
    doc: 'Asterisk HTTP server base URL (the one `http.conf` serves), e.g. `http://127.0.0.1:8088`. Unset: the call side is off.',
    format: 'url',
    schemes: ['http', 'https'],
  },
  ariUsername: { env: 'ARI_USERNAME', doc: 'ARI user from `ari.conf`.', format: 'string', default: 'missed-call-recovery' },
  ariPassword: { env: 'ARI_PASSWORD', doc: 'ARI password from `ari.conf`.', format: 'secret' },
  ariApp: {
    env: 'ARI_APP',
    doc: 'Stasis application name the dialplan sends calls to.',
    format: 'string',
    default: 'missed-call-recovery',
  },
  amiUrl: {
    env: 'AMI_URL',
    doc: 'Asterisk Manager Interface, `ami://user:password@host:5038`: sees calls that never reach the app (abandoned, queue abandon, voicemail, app down). Optional.',
    format: 'url',
    schemes: ['ami', 'tcp'],
  },
  smppUrl: {
    env: 'SMPP_URL',
    doc: 'The default SMSC connection (named `default`), `smpp://system_id:password@host:port`. Any SMPP URL may end with `?bind=split&window=10&rate=20&concat=sar&system_type=X` to override the SMPP_* settings below for that connection. Unset (and no SMPP_URLS): texts stay queued.',
    format: 'url',
    schemes: ['smpp', 'ssmpp'],
  },
  smppUrls: {
    env: 'SMPP_URLS',
    doc: 'More SMSC connections, `name=smpp://...;name2=smpp://...` (names: letters, digits, `-`, `_`). Without SMPP_URL the first one is the default.',
    format: 'string',
  },
  smppRoutes: {
    env: 'SMPP_ROUTES',
    doc: 'Which connection sends which text, first match wins: `sender:+14155550100=eu, sender:ACME*=eu, business:<business id>=us` (a trailing `*` matches a prefix). Texts no rule matches use the default connection.',
    format: 'string',
  },
  smppBind: {
    env: 'SMPP_BIND',
    doc: '`transceiver` (one bind sends and receives) or `split` (a transmitter bind sends, a receiver bind takes receipts and replies).',
    format: 'choice',
    default: 'transceiver',
  },
  smppWindow: {
    env: 'SMPP_WINDOW',
    doc: 'Per connection: submit_sm written and not yet answered, at most. Texts beyond it wait their turn.',
    format: 'integer',
    default: '10',
    min: 1,
    max: 1000,
  },
  smppMaxPerSecond: {
    env: 'SMPP_MAX_PER_SECOND',
    doc: 'Per connection: submit_sm per second at most (each part of a long text counts); 0 = no cap. ESME_RTHROTTLED / ESME_RMSGQFUL pause the connection, halve the rate, and let it climb back.',
    format: 'integer',
    default: '20',
    min: 0,
    max: 10000,
  },
  smppConcatenation: {
    env: 'SMPP_CONCATENATION',
    doc: 'How the parts of a long text are tied together: `udh` (a concatenation header in each part) or `sar` (sar_* TLVs; the SMSC builds the header).',
    format: 'choice',
    default: 'udh',
  },
  smppSourceAddr: {
    env: 'SMPP_SOURCE_ADDR',
    doc: 'Sender id / number texts are sent from when the business has none of its own.',
    format: 'string',
    default: 'MCR',
  },
  smsPartsTimeoutSeconds: {
    env: 'SMS_PARTS_TIMEOUT_SECONDS',
    // 240 s: with a part lost, a STOP in the parts that came is still confirmed within 5 minutes.
    doc: 'How long the parts of a long incoming text are awaited, from its first part. Then what arrived is acted on, with `[part N of M missing]` where parts are missing.',
    format: 'integer',
    default: '240',
    min: 10,
    max: 86400,
  },
  adminHost: { env: 'ADMIN_HOST', doc: 'Address the admin service listens on.', format: 'host', default: '127.0.0.1' },
  adminPort: { env: 'ADMIN_PORT', doc: 'Port of the admin service.', format: 'port', default: '3000' },
  adminApiKey: {
    env: 'ADMIN_API_KEY',
    doc: 'First admin API key (at least 24 characters). Stored hashed at start; alternatively make one with `mcr create-api-key`.',
    format: 'secret',
  },
  businessName: {
    env: 'BUSINESS_NAME',
    doc: 'Name of the default business (used for DIDs not mapped to a business). It is spoken in the disclosure and sent in texts.',
    format: 'string',
    default: 'Acme Plumbing',
  },
  defaultCountry: {
    env: 'DEFAULT_COUNTRY',
    doc: 'ISO country used to read caller numbers that come without a country code.',
    format: 'country',
    default: 'US',
  },
  dtmfTimeoutSeconds: {
    env: 'IVR_DTMF_TIMEOUT_SECONDS',
    doc: 'How long the IVR waits for a key after the disclosure before putting the caller on the callback list.',
    format: 'integer',
    default: '8',
    min: 1,
    max: 60,
  },
  speechEngine: {
    env: 'SPEECH_ENGINE',
    doc: "Spoken answers in the IVR besides keys: `off`, `pocketsphinx` (offline; Debian packages pocketsphinx, pocketsphinx-en-us, sox) or `google` (needs GOOGLE_APPLICATION_CREDENTIALS; callers' answers then go to Google).",
    format: 'choice',
    default: 'off',
  },
  soundPrefix: {
    env: 'IVR_SOUND_PREFIX',
    doc: 'Media URI prefix for the prompts as Asterisk sees them (`sound:` for files copied into the sounds folder).',
    format: 'string',
    default: 'sound:',
  },
  consentRetentionDays: {
    env: 'CONSENT_RETENTION_DAYS',
    // 1826 days: 5 years, leap days included (DESIGN: consent records kept 5 years by default).
    doc: "Days a consent record keeps the caller's number, transcript and recording; `mcr purge-consents` then erases them.",
    format: 'integer',
    default: '1826',
    min: 1,
    max: 36500,
  },
  quietHours: {
    env: 'QUIET_HOURS',
    doc: "When texts may reach people, in each recipient's local time (zone from the number), `HH:MM-HH:MM`; outside it texts wait. A business may set its own (within 08:00-21:00, federal TCPA). The STOP confirmation, HELP answers and staff texts go at any hour. `00:00-24:00` switches quiet hours off: for test rigs only.",
    format: 'string',
    default: '08:00-20:00',
  },
  // --- staff alerts (issue 8) ---
  smtpUrl: {
    env: 'SMTP_URL',
    doc: 'Where alert, digest and report e-mails go out: `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://...:465`. Unset: e-mails wait in the queue (`GET /api/notifications`) and texts still go.',
    format: 'url',
    schemes: ['smtp', 'smtps'],
  },
  mailFrom: {
    env: 'MAIL_FROM',
    doc: 'The From of alert, digest and report e-mails.',
    format: 'string',
    default: 'Missed Call Recovery <alerts@localhost>',
  },
  partDownAlertMinutes: {
    env: 'PART_DOWN_ALERT_MINUTES',
    doc: 'ARI, SMPP or AMI down (or still connecting) this long: one `system.part_down` alert per outage, and `system.part_up` when it is back.',
    format: 'integer',
    default: '5',
    min: 1,
    max: 1440,
  },
  managerEscalationMinutes: {
    env: 'MANAGER_ESCALATION_MINUTES',
    doc: "An overdue callback alerts its assignee (or whoever is on call) at its due time, then the business's manager this many minutes later if it is still open.",
    format: 'integer',
    default: '30',
    min: 1,
    max: 10080,
  },
  ivrOfferMessage: {
    env: 'IVR_OFFER_MESSAGE',
    doc: 'After a caller chooses a call back (or has a landline), offer to leave a message after the tone (`on`/`off`). It is kept with the lead, transcribed by SPEECH_ENGINE and shown on the callback task.',
    format: 'choice',
    default: 'on',
  },
  messageMaxSeconds: {
    env: 'IVR_MESSAGE_MAX_SECONDS',
    doc: 'Longest message a caller can leave in the IVR.',
    format: 'integer',
    default: '120',
    min: 5,
    max: 600,
  },
  logLevel: { env: 'LOG_LEVEL', doc: 'Log level: fatal, error, warn, info, debug, trace, silent.', format: 'level', default: 'info' },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
