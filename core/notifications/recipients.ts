import type { EntityManager } from '../db/database.js';
import { Business, CallbackTask, StaffMember } from '../entities/index.js';
import type { LoggedEvent } from '../integration/integration-events.js';
import type { AlertRule } from './notification-rules.js';
import { managersOf, onCallStaff } from './on-call.js';

/**
 * The people a rule names for one event, each once: the rota's on-call staff at
 * `at`, the managers, the callback's assignee (on-call when nobody holds it),
 * and staff named by id (of this business, or platform-wide). Disabled staff
 * never.
 */
export async function resolveRecipients(
  em: EntityManager,
  business: Business,
  event: LoggedEvent,
  rule: AlertRule,
  at: Date,
): Promise<StaffMember[]> {
  const found = new Map<string, StaffMember>();
  const add = (members: StaffMember[]) => members.forEach((member) => found.set(member.id, member));
  for (const group of rule.recipients) {
    if (group === 'on_call') add(await onCallStaff(em, business, at));
    if (group === 'manager') add(await managersOf(em, business.id));
    if (group === 'assignee') {
      const assignee = await assigneeOf(em, event);
      add(assignee ? [assignee] : await onCallStaff(em, business, at));
    }
  }
  if (rule.staffIds.length > 0) {
    add(
      await em.find(StaffMember, {
        id: { $in: rule.staffIds },
        disabledAt: null,
        $or: [{ businessId: business.id }, { businessId: null }],
      }),
    );
  }
  return [...found.values()];
}

async function assigneeOf(em: EntityManager, event: LoggedEvent): Promise<StaffMember | null> {
  const claimedBy = typeof event.data.claimed_by === 'string' ? event.data.claimed_by : null;
  let staffId = claimedBy;
  if (!staffId) {
    const taskId = typeof event.data.callback_task_id === 'string' ? event.data.callback_task_id : null;
    const task = taskId
      ? await em.findOne(CallbackTask, { id: taskId })
      : event.leadId
        ? await em.findOne(CallbackTask, { leadId: event.leadId, status: { $ne: 'done' } })
        : null;
    staffId = task?.claimedBy ?? null;
  }
  return staffId ? em.findOne(StaffMember, { id: staffId, disabledAt: null }) : null;
}
