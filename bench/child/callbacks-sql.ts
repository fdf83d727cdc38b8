import type { Database } from '../../core/db/database.js';

/**
 * The query GET /api/callbacks makes for its default page (admin/routes/callbacks.ts
 * asks the ORM for open tasks, oldest due first, limit + 1), as SQL, so the
 * bench can show the plan the database chose.
 */
export const CALLBACKS_PAGE_SQL = `select * from callback_task where status <> 'done' order by due_at asc, id asc limit 51`;

export async function explainCallbacks(db: Database): Promise<{ plan: string[] }> {
  const rows = await db
    .fork()
    .getConnection()
    .execute<Record<string, string>[]>(`explain (analyze, costs off, summary on) ${CALLBACKS_PAGE_SQL}`, [], 'all');
  return { plan: rows.map((row) => Object.values(row)[0] ?? '') };
}

export async function countRows(db: Database): Promise<{ call: number; callback_task: number; open_tasks: number }> {
  const rows = await db
    .fork()
    .getConnection()
    .execute<{ calls: string; tasks: string; open: string }[]>(
      `select (select count(*) from call) as calls, (select count(*) from callback_task) as tasks,
              (select count(*) from callback_task where status <> 'done') as open`,
      [],
      'all',
    );
  const row = rows[0]!;
  return { call: Number(row.calls), callback_task: Number(row.tasks), open_tasks: Number(row.open) };
}

export async function closeCallerCallbacks(db: Database, phonePrefix: string): Promise<{ closed: number }> {
  const result = await db
    .fork()
    .getConnection()
    .execute<{ affectedRows: number }>(
      `update callback_task set status = 'done', closed_at = now() where status <> 'done' and phone_e164 like ?`,
      [`${phonePrefix}%`],
      'run',
    );
  return { closed: result.affectedRows };
}
