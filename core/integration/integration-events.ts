import { randomUUID } from 'node:crypto';
import type { Database, EntityManager } from '../db/database.js';
import { IntegrationEvent } from '../entities/index.js';

/**
 * Event types integrators subscribe to (webhooks) and staff notifications key
 * on. Adding one is adding it here, recording it where the change happens, and
 * documenting its data in the README ("Events").
 */
export const INTEGRATION_EVENT_TYPES = [
  'lead.created',
  'consent.recorded',
  'message.received',
  'optout.recorded',
  'callback.created',
  'callback.completed',
  'booking.created',
  'booking.cancelled',
  'conversation.escalated',
  'conversation.closed',
  'delivery.failed',
  'voicemail.transcribed',
  // issue 8: what staff are alerted about is an event too, so integrators' webhooks carry it.
  /** A lead showed strong intent (called again while open, or the engine said so). */
  'lead.hot',
  /** An open callback passed its SLA due time (`level` assignee), then the manager's delay (`level` manager). */
  'callback.overdue',
  /** ARI, SMPP or AMI has been down longer than PART_DOWN_ALERT_MINUTES; and when it is back. */
  'system.part_down',
  'system.part_up',
] as const;
export type IntegrationEventType = (typeof INTEGRATION_EVENT_TYPES)[number];

export interface NewIntegrationEvent {
  type: IntegrationEventType;
  businessId: string;
  leadId?: string | null;
  /** Snake_case keys, ids and facts; caller text only where the event is about it (message.received). */
  data: Record<string, unknown>;
  at?: Date;
}

/**
 * Records an event in the caller's unit of work: it commits with the change it
 * reports or not at all. Call it inside the transaction that makes the change
 * (the row is persisted, flushed with the rest).
 */
export function recordIntegrationEvent(em: EntityManager, event: NewIntegrationEvent): IntegrationEvent {
  const row = Object.assign(new IntegrationEvent(), {
    id: randomUUID(),
    type: event.type,
    businessId: event.businessId,
    leadId: event.leadId ?? null,
    data: event.data,
    createdAt: event.at ?? new Date(),
  });
  em.persist(row);
  return row;
}

/** One event as consumers read it. */
export interface LoggedEvent {
  seq: string;
  id: string;
  type: IntegrationEventType;
  businessId: string;
  leadId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface EventBatch {
  events: LoggedEvent[];
  /** The transaction holding the consumer's cursor lock: write what the events cause here. */
  tx: EntityManager;
}

interface EventRow {
  seq: string;
  tx_id: string;
  id: string;
  type: IntegrationEventType;
  business_id: string;
  lead_id: string | null;
  data: Record<string, unknown> | string;
  created_at: Date | string;
}

/**
 * Hands the events a consumer has not seen yet, in commit-safe order, to
 * `handle`, and moves the consumer's position past them in the same
 * transaction. Only events whose transaction is older than every transaction
 * still running are read (see the migration), so an event that commits late
 * is never skipped: it is read on a later call. The position row is locked
 * (SKIP LOCKED), so with several instances each event is handled once per
 * consumer; if `handle` throws, nothing moves and the batch comes again.
 */
export async function consumeIntegrationEvents(
  db: Database,
  consumer: string,
  handle: (batch: EventBatch) => Promise<void>,
  limit = 100,
): Promise<number> {
  return db.fork().transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    await conn.execute(
      `insert into integration_cursor (consumer, tx_id, seq, updated_at) values (?, '0', 0, now()) on conflict (consumer) do nothing`,
      [consumer],
      'run',
      ctx,
    );
    const [cursor] = await conn.execute<{ tx_id: string; seq: string }[]>(
      `select tx_id::text as tx_id, seq from integration_cursor where consumer = ? for update skip locked`,
      [consumer],
      'all',
      ctx,
    );
    if (!cursor) return 0; // another instance is consuming right now
    const rows = await conn.execute<EventRow[]>(
      `select seq, tx_id::text as tx_id, id, type, business_id, lead_id, data, created_at
         from integration_event
        where (tx_id, seq) > (?::xid8, ?)
          and tx_id < pg_snapshot_xmin(pg_current_snapshot())
        order by tx_id, seq
        limit ?`,
      [cursor.tx_id, cursor.seq, limit],
      'all',
      ctx,
    );
    if (rows.length === 0) return 0;
    await handle({ events: rows.map(toLoggedEvent), tx });
    const last = rows[rows.length - 1]!;
    await conn.execute(
      `update integration_cursor set tx_id = ?::xid8, seq = ?, updated_at = now() where consumer = ?`,
      [last.tx_id, last.seq, consumer],
      'run',
      ctx,
    );
    await tx.flush();
    return rows.length;
  });
}

function toLoggedEvent(row: EventRow): LoggedEvent {
  return {
    seq: String(row.seq),
    id: row.id,
    type: row.type,
    businessId: row.business_id,
    leadId: row.lead_id,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data,
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}
