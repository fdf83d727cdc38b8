import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import smpp, { type PDU } from 'smpp';
import { checkAriCredentials } from '../../ari-app/ari-client-quirks.js';
import { parseAmiUrl } from '../../ari-app/ami/ami-url.js';
import type { Config } from '../../core/config/load-config.js';
import { openDatabase } from '../../core/db/database.js';
import { defaultPromptsDir } from '../../core/prompts/prompt-catalog.js';
import { parseSmppUrl } from '../../sms-gateway/smpp/smpp-transceiver.js';
import { amiCommand, withAmi } from './ami-command.js';
import { runCheck, type CheckResult } from './check.js';

/** Everything `mcr doctor` looks at, in the order a PBX admin would fix them. */
export async function runDoctorChecks(config: Config, promptsDir = defaultPromptsDir()): Promise<CheckResult[]> {
  return [
    // A first open of the embedded database initialises its folder: give it time.
    await runCheck('database', () => checkDatabase(config), 30_000),
    await runCheck('ARI', () => checkAri(config)),
    await runCheck('Stasis app', () => checkStasisApp(config)),
    await runCheck('AMI', () => checkAmi(config)),
    await runCheck('dialplan', () => checkDialplan(config)),
    await runCheck('SMPP', () => checkSmpp(config)),
    await runCheck('prompts', () => checkPrompts(promptsDir)),
  ];
}

async function checkDatabase(config: Config): Promise<CheckResult> {
  const db = await openDatabase({ url: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pgdata') });
  try {
    const pending = await db.orm.getMigrator().getPendingMigrations();
    if (pending.length > 0) {
      return {
        name: 'database',
        status: 'fail',
        detail: `${db.kind}, ${pending.length} migration(s) pending`,
        hint: 'run `mcr migrate` (or start the app, which migrates)',
      };
    }
    return { name: 'database', status: 'ok', detail: `${db.kind} (${db.location}), migrations up to date` };
  } finally {
    await db.close();
  }
}

async function checkAri(config: Config): Promise<CheckResult> {
  if (!config.ari) return { name: 'ARI', status: 'skip', detail: 'ARI_URL not set: the call side is off' };
  const result = await checkAriCredentials(config.ari.url, config.ari.username, config.ari.password);
  if (result === 'ok') return { name: 'ARI', status: 'ok', detail: `reachable at ${config.ari.url}, credentials accepted` };
  if (result === 'unauthorized') {
    return {
      name: 'ARI',
      status: 'fail',
      detail: 'credentials refused',
      hint: 'ARI_USERNAME / ARI_PASSWORD must match a user in ari.conf (then `module reload res_ari.so`)',
    };
  }
  return {
    name: 'ARI',
    status: 'fail',
    detail: `no answer from ${config.ari.url}`,
    hint: 'check http.conf (enabled=yes, bindaddr, bindport 8088) and that ARI_URL points at it',
  };
}

async function checkStasisApp(config: Config): Promise<CheckResult> {
  if (!config.ari) return { name: 'Stasis app', status: 'skip', detail: 'ARI_URL not set' };
  const { url, username, password, app } = config.ari;
  const response = await fetch(`${url.replace(/\/+$/, '')}/ari/applications/${encodeURIComponent(app)}`, {
    headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    signal: AbortSignal.timeout(5000),
  });
  if (response.ok) return { name: 'Stasis app', status: 'ok', detail: `"${app}" is registered with Asterisk` };
  // Asterisk knows an application only while an app holds its WebSocket.
  return {
    name: 'Stasis app',
    status: 'warn',
    detail: `"${app}" is not registered right now`,
    hint: 'start the app (`mcr start`); until it runs, missed calls fall back to voicemail',
  };
}

async function checkAmi(config: Config): Promise<CheckResult> {
  if (!config.amiUrl) return { name: 'AMI', status: 'skip', detail: 'AMI_URL not set: calls that never reach the app are not seen' };
  const target = parseAmiUrl(config.amiUrl);
  await withAmi(target, (send) => send({ action: 'Ping' }));
  return { name: 'AMI', status: 'ok', detail: `logged in at ${target.host}:${target.port}` };
}

async function checkDialplan(config: Config): Promise<CheckResult> {
  if (!config.amiUrl) return { name: 'dialplan', status: 'skip', detail: 'needs AMI_URL to ask Asterisk' };
  let output: string;
  try {
    output = await amiCommand(parseAmiUrl(config.amiUrl), 'dialplan show missed-call-recovery');
  } catch (err) {
    // The shipped manager.conf withholds `command` on purpose (it is the whole CLI).
    if (/permission|refused Command/i.test((err as Error).message)) {
      return {
        name: 'dialplan',
        status: 'warn',
        detail: 'the AMI user may not run CLI commands, so the dialplan cannot be checked from here',
        hint: 'on the PBX run: asterisk -rx "dialplan show missed-call-recovery"',
      };
    }
    throw err;
  }
  if (!/Context 'missed-call-recovery'/.test(output)) {
    return {
      name: 'dialplan',
      status: 'fail',
      detail: "context 'missed-call-recovery' is not loaded",
      hint: 'copy dialplan/extensions_missed_call_recovery.conf to /etc/asterisk, #include it from extensions.conf, then `dialplan reload`',
    };
  }
  const appName = config.ari?.app ?? 'missed-call-recovery';
  if (!output.includes(`Stasis(${appName},`)) {
    return {
      name: 'dialplan',
      status: 'fail',
      detail: `the context does not hand calls to Stasis(${appName},...)`,
      hint: 'ARI_APP must match the Stasis() application in the dialplan',
    };
  }
  return { name: 'dialplan', status: 'ok', detail: `context loaded, hands missed calls to Stasis(${appName})` };
}

async function checkSmpp(config: Config): Promise<CheckResult> {
  if (!config.smpp) return { name: 'SMPP', status: 'skip', detail: 'SMPP_URL not set: texts stay queued' };
  const results: string[] = [];
  for (const connection of config.smpp.connections) {
    // Bind as the app will: one transceiver, or a transmitter and a receiver.
    const modes = connection.bind === 'split' ? (['bind_transmitter', 'bind_receiver'] as const) : (['bind_transceiver'] as const);
    for (const mode of modes) {
      const problem = await tryBind(connection.url, mode, connection.systemType);
      if (problem) {
        return {
          name: 'SMPP',
          status: 'fail',
          detail: `${connection.name}: ${mode.replace('bind_', '')} ${problem.detail}`,
          hint: problem.hint,
        };
      }
    }
    results.push(`${connection.name} (${modes.map((m) => m.replace('bind_', '')).join(' + ')})`);
  }
  return { name: 'SMPP', status: 'ok', detail: `bound: ${results.join(', ')}` };
}

/** Binds once and unbinds; null when the SMSC accepted, else what went wrong and how to fix it. */
async function tryBind(
  url: string,
  mode: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver',
  systemType: string,
): Promise<{ detail: string; hint?: string } | null> {
  const endpoint = parseSmppUrl(url);
  const session = smpp.connect({ host: endpoint.host, port: endpoint.port, tls: endpoint.tls });
  try {
    const status = await new Promise<number>((resolve, reject) => {
      session.on('error', (err: Error) => reject(new Error(`cannot reach the SMSC at ${endpoint.host}:${endpoint.port} (${err.message})`)));
      session.on(endpoint.tls ? 'secureConnect' : 'connect', () => {
        session[mode]({ system_id: endpoint.systemId, password: endpoint.password, system_type: systemType }, (pdu: PDU) =>
          resolve(pdu.command_status),
        );
      });
    });
    if (status !== smpp.ESME_ROK) {
      return {
        detail: `bind refused (status 0x${status.toString(16)})`,
        hint: 'check system_id and password in SMPP_URL / SMPP_URLS with your carrier',
      };
    }
    await new Promise<void>((resolve) => {
      const sent = session.unbind(() => resolve());
      if (!sent) resolve();
      setTimeout(resolve, 1000).unref();
    });
    return null;
  } catch (err) {
    return {
      detail: (err as Error).message,
      hint: 'check the host and port in SMPP_URL / SMPP_URLS and that the SMSC allows this address',
    };
  } finally {
    session.destroy();
  }
}

async function checkPrompts(dir: string): Promise<CheckResult> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'MANIFEST.json'), 'utf8')) as {
    business: string;
    version: string;
    files: { file: string; sha256: string }[];
  };
  const problems: string[] = [];
  for (const entry of manifest.files) {
    try {
      const bytes = await readFile(path.join(dir, entry.file));
      if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) problems.push(`${entry.file} differs from its manifest hash`);
    } catch {
      problems.push(`${entry.file} is missing`);
    }
  }
  if (problems.length > 0) {
    return {
      name: 'prompts',
      status: 'fail',
      detail: problems.join('; '),
      hint: 'regenerate them with dialplan/prompts/generate-prompts.sh',
    };
  }
  return {
    name: 'prompts',
    status: 'ok',
    detail: `${manifest.files.length} files for "${manifest.business}" (version ${manifest.version}); copy them to /var/lib/asterisk/sounds/en/`,
  };
}
