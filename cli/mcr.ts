import path from 'node:path';
import { parseArgs } from 'node:util';
import { ADMIN_SCOPE, PERMISSIONS } from '../admin/auth/access.js';
import { createApiKey } from '../admin/auth/api-keys.js';
import { ConfigError, loadConfig, type Config } from '../core/config/load-config.js';
import { SETTINGS } from '../core/config/schema.js';
import { migrate, openDatabase, type Database } from '../core/db/database.js';
import { createLogger } from '../core/logging.js';
import { runPurgeConsents, runVerifyConsents } from './consent-commands.js';
import { startApp } from './start-app.js';

const HELP = `mcr: missed-call-recovery

Usage: mcr <command> [options]

Commands:
  start               run the product (roles from ROLES: ari, sms, admin)
  demo [--json]       one missed call end to end against built-in fakes of Asterisk and an SMSC
  migrate             apply database migrations and exit
  create-api-key      make an admin API key (--name NAME, --scopes "admin"); printed once
  doctor              check database, ARI, Stasis app, AMI, dialplan, SMPP bind and prompts; non-zero when any fails
  verify-consents     check the consent chain, its head and every recording's SHA-256; non-zero on any mismatch
  purge-consents      erase the personal content of consent records past CONSENT_RETENTION_DAYS, keeping
                      the chain verifiable (--older-than-days N, --dry-run; --force to go below the setting)
  fake-smsc           a fake SMSC for trying it out (listens where SMPP_URL points); never for production
  config [--markdown] list every setting with its env name, default and meaning
  help                this text

Configuration comes from environment variables: see \`mcr config\` or README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } } });
      const { runDemo } = await import('./demo.js');
      return runDemo({ json: values.json ?? false });
    }
    case 'migrate':
      return withDatabase(async (db) => {
        const applied = await migrate(db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
        return 0;
      });
    case 'create-api-key': {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: 'string', default: 'admin' }, scopes: { type: 'string', default: 'admin' } },
      });
      const scopes = (values.scopes ?? 'admin').split(/[\s,]+/).filter(Boolean);
      const unknown = scopes.filter((scope) => scope !== ADMIN_SCOPE && !(PERMISSIONS as readonly string[]).includes(scope));
      if (unknown.length > 0) {
        console.error(`unknown scope(s): ${unknown.join(', ')}; choose from ${ADMIN_SCOPE}, ${PERMISSIONS.join(', ')}`);
        return 2;
      }
      return withDatabase(async (db) => {
        await migrate(db);
        const { key, record } = await createApiKey(db.fork(), values.name ?? 'admin', scopes);
        console.log(`API key "${record.name}" (scopes: ${record.scopes}). Shown once, store it now:\n${key}`);
        return 0;
      });
    }
    case 'verify-consents':
      return withDatabase((db, config) => runVerifyConsents(db, config));
    case 'purge-consents':
      return withDatabase((db, config) => runPurgeConsents(db, config, rest));
    case 'doctor': {
      const { runDoctor } = await import('./doctor/run-doctor.js');
      return runDoctor();
    }
    case 'fake-smsc': {
      const { runFakeSmsc } = await import('./fake-smsc.js');
      return runFakeSmsc(process.env.SMPP_URL);
    }
    case 'config': {
      const markdown = rest.includes('--markdown');
      printSettings(markdown);
      return 0;
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`mcr: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

async function start(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, { logger });
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  await app.stop();
  logger.info('stopped');
  return 0;
}

async function withDatabase(work: (db: Database, config: Config) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const db = await openDatabase({ url: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pgdata') });
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}

function printSettings(markdown: boolean): void {
  const rows = Object.values(SETTINGS).map((s) => {
    const spec = s as { env: string; doc: string; default?: string };
    return { env: spec.env, default: spec.default ?? '', doc: spec.doc };
  });
  if (markdown) {
    console.log('| Variable | Default | Meaning |\n|---|---|---|');
    for (const row of rows) console.log(`| \`${row.env}\` | ${row.default ? `\`${row.default}\`` : ''} | ${row.doc} |`);
    return;
  }
  for (const row of rows) console.log(`${row.env}${row.default ? ` (default ${row.default})` : ''}\n    ${row.doc}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exitCode = 2;
      return;
    }
    // Anything else is reported in one line; the stack only when asked for.
    console.error(`mcr: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.MCR_DEBUG) console.error(err);
    process.exitCode = 1;
  },
);
