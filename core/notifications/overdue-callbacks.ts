import type { Database } from '../db/database.js';
import { CallbackTask } from '../entities/index.js';
import { recordIntegrationEvent } from '../integration/integration-events.js';

export interface OverdueSweepSettings {
  now: Date;
  /** After the first (assignee) alert, the manager's: this long after the due time. */
  managerDelayMs: number;
  /** Tasks already this far past due when first seen (a backlog at upgrade) are marked, not alerted. */
  staleAfterMs?: number;
  batchSize?: number;
}

const DAY_MS = 86_400_000;

/**
 * Records `callback.overdue` for open callbacks past their SLA due time, once
 * per step: `level: assignee` at the due time (the dispatcher alerts whoever
 * holds the task, else whoever is on call), then `level: manager` after the
 * manager delay if it is still open. The marks on the task and the event are
 * written in one transaction with the rows claimed FOR UPDATE SKIP LOCKED, so
 * several instances sweeping at once alert once. Returns the events recorded.
 */
export async function sweepOverdueCallbacks(db: Database, settings: OverdueSweepSettings): Promise<number> {
  const { now } = settings;
  const staleBefore = new Date(now.getTime() - (settings.staleAfterMs ?? DAY_MS));
  const limit = settings.batchSize ?? 200;
  return db.fork().transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    const claim = async (sql: string, params: unknown[]) =>
      (await conn.execute<{ id: string }[]>(sql, params, 'all', ctx)).map((row) => row.id);
    const firstIds = await claim(
      `select id from callback_task
        where status <> 'done' and manager_alerted_at is null and overdue_alerted_at is null and due_at <= ?
        order by due_at limit ? for update skip locked`,
      [now, limit],
    );
    const managerIds = await claim(
      `select id from callback_task
        where status <> 'done' and manager_alerted_at is null and overdue_alerted_at is not null and due_at <= ?
        order by due_at limit ? for update skip locked`,
      [new Date(now.getTime() - settings.managerDelayMs), limit],
    );
    const tasks = await tx.find(CallbackTask, { id: { $in: [...firstIds, ...managerIds] } });
    let recorded = 0;
    for (const task of tasks) {
      const level = task.overdueAlertedAt ? 'manager' : 'assignee';
      if (task.dueAt < staleBefore) {
        // Long overdue before anyone swept (a backlog): no alert storm, just the marks.
        task.overdueAlertedAt ??= now;
        task.managerAlertedAt = now;
        continue;
      }
      if (level === 'assignee') task.overdueAlertedAt = now;
      else task.managerAlertedAt = now;
      recordIntegrationEvent(tx, {
        type: 'callback.overdue',
        businessId: task.businessId,
        leadId: task.leadId,
        at: now,
        data: {
          callback_task_id: task.id,
          lead_id: task.leadId,
          level,
          reason: task.reason,
          due_at: task.dueAt.toISOString(),
          minutes_overdue: Math.floor((now.getTime() - task.dueAt.getTime()) / 60_000),
          claimed_by: task.claimedBy ?? null,
          phone: task.phoneE164 ?? null,
        },
      });
      recorded += 1;
    }
    await tx.flush();
    return recorded;
  });
}
