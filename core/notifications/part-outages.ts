import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { Business } from '../entities/index.js';
import { recordIntegrationEvent } from '../integration/integration-events.js';
import type { Logger } from '../logging.js';

export type MonitoredPart = 'ari' | 'smpp' | 'ami';
export type ObservedState = 'up' | 'down' | 'connecting' | 'off';

export interface PartOutageMonitorOptions {
  db: Database;
  /** This instance's view of its parts right now (`off`: not run here). */
  states: () => Partial<Record<MonitoredPart, ObservedState>>;
  /** Down (or still connecting) this long before it is an outage (PART_DOWN_ALERT_MINUTES). */
  downAfterMs: number;
  /** How often the states are read (default 15 s). */
  intervalMs?: number;
  /** Names this instance in the outage row. */
  instanceId: string;
  logger: Logger;
  now?: () => Date;
}

/**
 * Alerts once per outage of ARI, SMPP or AMI, and once when it is back. An
 * outage is a part this instance has seen down for `downAfterMs`; the open
 * outage is one row per part across instances (a unique index), so the first
 * instance to see it records `system.part_down` (one event per business) and
 * the others only keep it fresh (`last_seen_down_at`). It ends, with
 * `system.part_up`, once no instance has seen the part down for two intervals:
 * the instance that was down came back, or stopped running.
 */
export class PartOutageMonitor {
  private readonly downSince = new Map<MonitoredPart, Date>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: PartOutageMonitorOptions) {}

  start(): void {
    const interval = this.options.intervalMs ?? 15_000;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.check()
        .catch((err) => this.options.logger.warn({ err }, 'outage check failed; trying again at the next interval'))
        .finally(() => (this.running = null));
    }, interval);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One look at every part (tests call it with their own clock). */
  async check(): Promise<void> {
    const now = this.options.now?.() ?? new Date();
    const states = this.options.states();
    for (const part of ['ari', 'smpp', 'ami'] as const) {
      const state = states[part] ?? 'off';
      if (state === 'off') {
        this.downSince.delete(part);
        continue;
      }
      if (state === 'up') {
        this.downSince.delete(part);
        await this.endIfNobodySeesItDown(part, now);
        continue;
      }
      const since = this.downSince.get(part) ?? now;
      this.downSince.set(part, since);
      if (now.getTime() - since.getTime() >= this.options.downAfterMs) await this.reportDown(part, since, now);
    }
  }

  private async reportDown(part: MonitoredPart, since: Date, now: Date): Promise<void> {
    await this.options.db.fork().transactional(async (tx) => {
      const conn = tx.getConnection();
      const ctx = tx.getTransactionContext();
      const refreshed = await conn.execute(
        `update part_outage set last_seen_down_at = ? where part = ? and ended_at is null`,
        [now, part],
        'run',
        ctx,
      );
      if (affected(refreshed) > 0) return;
      const inserted = await conn.execute<{ id: string }[]>(
        `insert into part_outage (id, part, down_since, last_seen_down_at, reported_by)
         values (?, ?, ?, ?, ?) on conflict do nothing returning id`,
        [randomUUID(), part, since, now, this.options.instanceId],
        'all',
        ctx,
      );
      if (inserted.length === 0) return; // another instance opened it a moment ago
      for (const business of await tx.find(Business, {})) {
        recordIntegrationEvent(tx, {
          type: 'system.part_down',
          businessId: business.id,
          at: now,
          data: { part, down_since: since.toISOString(), instance: this.options.instanceId, outage_id: inserted[0]!.id },
        });
      }
      await tx.flush();
      this.options.logger.warn({ part, downSince: since }, 'part down longer than the alert threshold: outage recorded');
    });
  }

  private async endIfNobodySeesItDown(part: MonitoredPart, now: Date): Promise<void> {
    const quietFor = 2 * (this.options.intervalMs ?? 15_000);
    await this.options.db.fork().transactional(async (tx) => {
      const conn = tx.getConnection();
      const ctx = tx.getTransactionContext();
      const [open] = await conn.execute<{ id: string; down_since: Date | string }[]>(
        `select id, down_since from part_outage where part = ? and ended_at is null and last_seen_down_at < ? for update skip locked`,
        [part, new Date(now.getTime() - quietFor)],
        'all',
        ctx,
      );
      if (!open) return;
      await conn.execute(`update part_outage set ended_at = ? where id = ?`, [now, open.id], 'run', ctx);
      const downSince = new Date(open.down_since);
      for (const business of await tx.find(Business, {})) {
        recordIntegrationEvent(tx, {
          type: 'system.part_up',
          businessId: business.id,
          at: now,
          data: {
            part,
            down_since: downSince.toISOString(),
            up_at: now.toISOString(),
            down_minutes: Math.round((now.getTime() - downSince.getTime()) / 60_000),
            outage_id: open.id,
          },
        });
      }
      await tx.flush();
      this.options.logger.info({ part }, 'part back up: outage ended');
    });
  }
}

function affected(result: unknown): number {
  if (typeof result === 'number') return result;
  const r = result as { affectedRows?: number; rowCount?: number } | null;
  return r?.affectedRows ?? r?.rowCount ?? 0;
}
