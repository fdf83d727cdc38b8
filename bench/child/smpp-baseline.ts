import { performance } from 'node:perf_hooks';
import smpp, { type PDU, type PduOptions, type Session } from 'smpp';
import type { SmppBaselineArgs, SmppBaselineResult } from '../protocol.js';
import { BENCH_TEXT_BODY } from './queue-texts.js';

/**
 * The floor: a plain `smpp` client (no database, no gate, no window logic)
 * binds to the same fake SMSC and sends submit_sm one at a time, waiting for
 * each response. No receipts are asked for (registered_delivery 0).
 */
export async function smppBaseline(args: SmppBaselineArgs): Promise<SmppBaselineResult> {
  const url = new URL(args.url);
  const session = smpp.connect({ host: url.hostname, port: Number(url.port) });
  const failed = new Promise<never>((_, reject) => {
    session.on('error', (err) => reject(err));
    session.on('close', () => reject(new Error('the SMSC closed the baseline session')));
  });
  failed.catch(() => undefined);
  await new Promise<void>((resolve) => session.once('connect', () => resolve()));
  const call = (command: 'bind_transceiver' | 'submit_sm' | 'unbind', options: PduOptions): Promise<PDU> =>
    Promise.race([
      failed,
      new Promise<PDU>((resolve, reject) => {
        const sent = session[command](options, (pdu) =>
          pdu.command_status === 0 ? resolve(pdu) : reject(new Error(`${command} answered with status ${pdu.command_status}`)),
        );
        if (!sent) reject(new Error(`${command}: socket not writable`));
      }),
    ]);
  try {
    await call('bind_transceiver', {
      system_id: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    const rttsMs: number[] = [];
    const started = performance.now();
    for (let i = 0; i < args.count; i++) {
      const t0 = performance.now();
      await call('submit_sm', {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '14155559999',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: `4475${String(i).padStart(8, '0')}`,
        registered_delivery: 0,
        data_coding: 0,
        short_message: BENCH_TEXT_BODY,
      });
      rttsMs.push(performance.now() - t0);
    }
    const elapsedMs = performance.now() - started;
    await call('unbind', {}).catch(() => undefined);
    return { rttsMs, elapsedMs };
  } finally {
    await close(session);
  }
}

function close(session: Session): Promise<void> {
  return new Promise((resolve) => session.close(() => resolve()));
}
