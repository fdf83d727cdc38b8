import { randomUUID } from 'node:crypto';
import type { Database } from '../../core/db/database.js';
import { OutboxMessage } from '../../core/entities/index.js';

/** Puts one outbox row in the database as the product would have left it (its own transaction). */
export async function addOutboxRow(
  db: Pick<Database, 'fork'>,
  fields: Pick<OutboxMessage, 'businessId' | 'toE164'> & Partial<OutboxMessage>,
): Promise<OutboxMessage> {
  const now = new Date();
  const row = Object.assign(new OutboxMessage(), {
    id: randomUUID(),
    fromAddr: 'MCR',
    kind: 'conversational' as const,
    body: 'Thanks, we will call you back this afternoon.',
    status: 'queued' as const,
    attempts: 0,
    notBefore: now,
    createdAt: now,
    ...fields,
  });
  await db.fork().persistAndFlush(row);
  return row;
}

export const hoursBefore = (at: Date, hours: number) => new Date(at.getTime() - hours * 3_600_000);
