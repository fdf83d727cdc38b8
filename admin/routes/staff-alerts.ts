import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Business, Notification, NotificationPolicy, OnCallShift, OutboxMessage, StaffMember } from '../../core/entities/index.js';
import { WEEKDAYS } from '../../core/hours/schedule-types.js';
import { ALERT_TRIGGERS } from '../../core/notifications/alert-triggers.js';
import { handTextToOutbox } from '../../core/notifications/notification-dispatcher.js';
import { ALERT_CHANNELS, RECIPIENT_GROUPS, loadAlertRules, ruleToJson } from '../../core/notifications/notification-rules.js';
import { onCallStaff } from '../../core/notifications/on-call.js';
import { auditChange } from '../audit.js';
import { assertBusinessVisible, businessFilter, visibleBusinessIds } from '../auth/access.js';
import { ApiError } from '../errors.js';
import { decodeCursor, encodeCursor, pageQuerySchema } from '../pagination.js';
import { routeSchema } from '../route-schema.js';
import { businessIdParams, findBusinessOr404 } from './hours-schemas.js';

export interface StaffAlertRouteDeps {
  defaultSenderId: string;
  now: () => Date;
}

const TIME = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const END_TIME = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

const ruleSchema = {
  type: 'object',
  properties: {
    event: { type: 'string', enum: [...ALERT_TRIGGERS] },
    recipients: { type: 'array', items: { type: 'string', enum: [...RECIPIENT_GROUPS] }, uniqueItems: true, maxItems: 3, default: [] },
    staff_ids: { type: 'array', items: { type: 'string', format: 'uuid' }, uniqueItems: true, maxItems: 50, default: [] },
    channels: { type: 'array', items: { type: 'string', enum: [...ALERT_CHANNELS] }, uniqueItems: true, minItems: 1, maxItems: 2 },
  },
  required: ['event', 'channels'],
  additionalProperties: false,
} as const;

const shiftSchema = {
  type: 'object',
  properties: {
    staff_id: { type: 'string', format: 'uuid' },
    days: { type: 'array', items: { type: 'string', enum: [...WEEKDAYS] }, minItems: 1, maxItems: 7, uniqueItems: true },
    start: { type: 'string', pattern: TIME },
    end: { type: 'string', pattern: END_TIME, description: 'At or before `start`: the shift runs past midnight.' },
  },
  required: ['staff_id', 'days', 'start', 'end'],
  additionalProperties: false,
} as const;

interface RuleBody {
  event: (typeof ALERT_TRIGGERS)[number];
  recipients: (typeof RECIPIENT_GROUPS)[number][];
  staff_ids: string[];
  channels: (typeof ALERT_CHANNELS)[number][];
}
interface ShiftBody {
  staff_id: string;
  days: (typeof WEEKDAYS)[number][];
  start: string;
  end: string;
}

const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    business_id: { type: 'string' },
    staff_member_id: { type: ['string', 'null'] },
    kind: { type: 'string', enum: ['alert', 'digest', 'report'] },
    trigger: { type: 'string' },
    channel: { type: 'string', enum: ['text', 'email'] },
    to: { type: 'string' },
    subject: { type: 'string' },
    status: { type: 'string', enum: ['queued', 'sending', 'sent', 'failed'] },
    delivery: { type: ['string', 'null'], description: "Texts: the outbox's status of the staff text (queued, submitted, delivered, failed, refused...)." },
    attempts: { type: 'integer' },
    last_error: { type: ['string', 'null'] },
    next_attempt_at: { type: ['string', 'null'], format: 'date-time' },
    event_id: { type: ['string', 'null'] },
    lead_id: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    sent_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

async function staffOfBusinessOr400(request: FastifyRequest, business: Business, ids: string[]): Promise<Map<string, StaffMember>> {
  const unique = [...new Set(ids)];
  const staff = await request.em.find(StaffMember, { id: { $in: unique }, $or: [{ businessId: business.id }, { businessId: null }] });
  const missing = unique.filter((id) => !staff.some((s) => s.id === id));
  if (missing.length > 0) throw new ApiError(400, 'unknown_staff', `No staff member of this business has the id ${missing.join(', ')}.`);
  return new Map(staff.map((s) => [s.id, s]));
}

function shiftJson(shift: OnCallShift) {
  return { staff_id: shift.staffMemberId, days: shift.days.map((d) => WEEKDAYS[d - 1]), start: shift.startTime, end: shift.endTime };
}

async function notificationJson(request: FastifyRequest, rows: Notification[]) {
  const outbox = rows.filter((r) => r.outboxId).map((r) => r.outboxId!);
  const texts = new Map(
    outbox.length ? (await request.em.find(OutboxMessage, { id: { $in: outbox } }, { fields: ['id', 'status'] })).map((o) => [o.id, o.status] as const) : [],
  );
  return rows.map((row) => ({
    id: row.id,
    business_id: row.businessId,
    staff_member_id: row.staffMemberId ?? null,
    kind: row.kind,
    trigger: row.trigger,
    channel: row.channel,
    to: row.toAddress,
    subject: row.subject,
    status: row.status,
    delivery: row.outboxId ? (texts.get(row.outboxId) ?? null) : row.channel === 'email' ? row.status : null,
    attempts: row.attempts,
    last_error: row.lastError ?? null,
    next_attempt_at: row.status === 'queued' ? row.nextAttemptAt.toISOString() : null,
    event_id: row.eventId ?? null,
    lead_id: row.leadId ?? null,
    created_at: row.createdAt.toISOString(),
    sent_at: row.sentAt?.toISOString() ?? null,
  }));
}

export async function registerStaffAlertRoutes(app: FastifyInstance, deps: StaffAlertRouteDeps): Promise<void> {
  // --- rules ------------------------------------------------------------------------
  const rulesResponse = {
    type: 'object',
    properties: {
      custom: { type: 'boolean', description: 'false: the business has no rules of its own and gets the defaults.' },
      rules: { type: 'array', items: ruleSchema },
    },
  } as const;
  app.get<{ Params: { id: string } }>(
    '/businesses/:id/notification-rules',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({ description: 'Which events alert whom at once, and how (text, email). Everything else is in the daily digest.', params: businessIdParams, response: { 200: rulesResponse } }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const { rules, custom } = await loadAlertRules(request.em, business.id);
      return { custom, rules: rules.map(ruleToJson) };
    },
  );
  app.put<{ Params: { id: string }; Body: { rules: RuleBody[] } }>(
    '/businesses/:id/notification-rules',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description:
          'Replaces the business\'s alert rules (an empty list: no instant alerts, digests only). `recipients`: `on_call` (the rota), `manager`, `assignee` (whoever holds the callback, else on-call); `staff_ids`: named people.',
        params: businessIdParams,
        body: { type: 'object', properties: { rules: { type: 'array', items: ruleSchema, maxItems: 100 } }, required: ['rules'], additionalProperties: false },
        response: { 200: rulesResponse },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const rules = request.body.rules;
      rules.forEach((rule, index) => {
        if (rule.recipients.length === 0 && rule.staff_ids.length === 0) {
          throw new ApiError(400, 'no_recipients', `Rule ${index + 1} (${rule.event}) names nobody: give recipients or staff_ids.`);
        }
      });
      await staffOfBusinessOr400(request, business, rules.flatMap((rule) => rule.staff_ids));
      const before = await loadAlertRules(request.em, business.id);
      const stored = rules.map((rule) => ({ event: rule.event, recipients: rule.recipients, staff_ids: rule.staff_ids, channels: rule.channels }));
      await request.em.upsert(NotificationPolicy, { businessId: business.id, rules: stored, updatedAt: deps.now() });
      auditChange(request, {
        action: 'notification_rules.replace',
        entityType: 'notification_policy',
        entityId: business.id,
        businessId: business.id,
        before: before.custom ? { rules: before.rules.map(ruleToJson) } : null,
        after: { rules: stored },
      });
      await request.em.flush();
      return { custom: true, rules: stored };
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/businesses/:id/notification-rules',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({ description: "Back to the default rules.", params: businessIdParams, response: { 200: rulesResponse } }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const before = await loadAlertRules(request.em, business.id);
      const policy = await request.em.findOne(NotificationPolicy, { businessId: business.id });
      if (policy) {
        request.em.remove(policy);
        auditChange(request, {
          action: 'notification_rules.reset',
          entityType: 'notification_policy',
          entityId: business.id,
          businessId: business.id,
          before: { rules: before.rules.map(ruleToJson) },
          after: null,
        });
        await request.em.flush();
      }
      return { custom: false, rules: (await loadAlertRules(request.em.fork(), business.id)).rules.map(ruleToJson) };
    },
  );

  // --- on-call rota ---------------------------------------------------------------------
  const rotaResponse = {
    type: 'object',
    properties: {
      time_zone: { type: 'string' },
      shifts: { type: 'array', items: shiftSchema },
      on_call_now: { type: 'array', items: { type: 'object', properties: { staff_id: { type: 'string' }, name: { type: 'string' } } } },
    },
  } as const;
  const rota = async (request: FastifyRequest, business: Business) => {
    const shifts = await request.em.find(OnCallShift, { businessId: business.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const now = await onCallStaff(request.em, business, deps.now());
    return { time_zone: business.timeZone, shifts: shifts.map(shiftJson), on_call_now: now.map((s) => ({ staff_id: s.id, name: s.name })) };
  };
  app.get<{ Params: { id: string } }>(
    '/businesses/:id/on-call',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: "The on-call rota (shifts in the business's zone) and who is on call now. No shifts: staff marked on_call, then managers, then admins.",
        params: businessIdParams,
        response: { 200: rotaResponse },
      }),
    },
    async (request) => rota(request, await findBusinessOr404(request, request.params.id)),
  );
  app.put<{ Params: { id: string }; Body: { shifts: ShiftBody[] } }>(
    '/businesses/:id/on-call',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: 'Replaces the rota. A shift whose end is at or before its start runs past midnight into the next day.',
        params: businessIdParams,
        body: { type: 'object', properties: { shifts: { type: 'array', items: shiftSchema, maxItems: 200 } }, required: ['shifts'], additionalProperties: false },
        response: { 200: rotaResponse },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const staff = await staffOfBusinessOr400(request, business, request.body.shifts.map((s) => s.staff_id));
      for (const [index, shift] of request.body.shifts.entries()) {
        if (staff.get(shift.staff_id)?.disabledAt) throw new ApiError(400, 'staff_disabled', `Shift ${index + 1}: that staff member is disabled.`);
      }
      const before = (await request.em.find(OnCallShift, { businessId: business.id })).map(shiftJson);
      await request.em.nativeDelete(OnCallShift, { businessId: business.id });
      const now = deps.now();
      for (const shift of request.body.shifts) {
        request.em.persist(
          Object.assign(new OnCallShift(), {
            id: randomUUID(),
            businessId: business.id,
            staffMemberId: shift.staff_id,
            days: shift.days.map((d) => WEEKDAYS.indexOf(d) + 1),
            startTime: shift.start,
            endTime: shift.end,
            createdAt: now,
          }),
        );
      }
      auditChange(request, { action: 'on_call.replace', entityType: 'on_call_rota', entityId: business.id, businessId: business.id, before: { shifts: before }, after: { shifts: request.body.shifts } });
      await request.em.flush();
      return rota(request, business);
    },
  );

  // --- a staff member's alert settings ---------------------------------------------------
  const settingsSchema = {
    type: 'object',
    properties: {
      staff_id: { type: 'string' },
      name: { type: 'string' },
      manager: { type: 'boolean' },
      digest_time: { type: ['string', 'null'], description: "HH:MM in the business's zone; null: no daily digest." },
      email: { type: ['string', 'null'] },
      phone: { type: ['string', 'null'] },
    },
  } as const;
  const staffOr404 = async (request: FastifyRequest, id: string) => {
    const staff = await request.em.findOne(StaffMember, { id });
    const visible = visibleBusinessIds(request);
    // Platform staff (no business) are seen only by principals who see every business.
    if (!staff || (visible !== null && (!staff.businessId || !visible.includes(staff.businessId)))) {
      throw new ApiError(404, 'staff_not_found', 'No staff member has this id.');
    }
    return staff;
  };
  const settingsJson = (s: StaffMember) => ({ staff_id: s.id, name: s.name, manager: s.manager, digest_time: s.digestTime ?? null, email: s.email ?? null, phone: s.phoneE164 ?? null });
  const staffParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;
  app.get<{ Params: { id: string } }>(
    '/staff/:id/alert-settings',
    { config: { permission: 'settings:read' }, schema: routeSchema({ description: "A staff member's manager flag and digest time.", params: staffParams, response: { 200: settingsSchema } }) },
    async (request) => settingsJson(await staffOr404(request, request.params.id)),
  );
  app.put<{ Params: { id: string }; Body: { manager?: boolean; digest_time?: string | null } }>(
    '/staff/:id/alert-settings',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: "Sets the manager flag (overdue callbacks escalate to managers; outages and the weekly report reach them) and the daily digest time (default 08:00; null: none).",
        params: staffParams,
        body: {
          type: 'object',
          properties: { manager: { type: 'boolean' }, digest_time: { type: ['string', 'null'], pattern: TIME } },
          additionalProperties: false,
        },
        response: { 200: settingsSchema },
      }),
    },
    async (request) => {
      const staff = await staffOr404(request, request.params.id);
      const before = settingsJson(staff);
      if (request.body.manager !== undefined) staff.manager = request.body.manager;
      if (request.body.digest_time !== undefined) staff.digestTime = request.body.digest_time;
      auditChange(request, { action: 'staff.alert_settings', entityType: 'staff_member', entityId: staff.id, businessId: staff.businessId ?? null, before, after: settingsJson(staff) });
      await request.em.flush();
      return settingsJson(staff);
    },
  );

  // --- the notifications themselves -------------------------------------------------------
  app.get<{ Querystring: { limit: number; cursor?: string; business_id?: string; status?: string; channel?: string; kind?: string } }>(
    '/notifications',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: 'Alerts, digests and reports sent or waiting, newest first: status, attempts, the last error; texts also their delivery.',
        querystring: {
          type: 'object',
          properties: {
            ...pageQuerySchema,
            business_id: { type: 'string', format: 'uuid' },
            status: { type: 'string', enum: ['queued', 'sending', 'sent', 'failed'] },
            channel: { type: 'string', enum: ['text', 'email'] },
            kind: { type: 'string', enum: ['alert', 'digest', 'report'] },
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: notificationSchema }, next_cursor: { type: ['string', 'null'] } } } },
      }),
    },
    async (request) => {
      const { limit, cursor, business_id: businessId, status, channel, kind } = request.query;
      const where: Record<string, unknown> = { ...businessFilter(request, businessId) };
      if (status) where.status = status;
      if (channel) where.channel = channel;
      if (kind) where.kind = kind;
      const after = decodeCursor(cursor, 2);
      if (after) {
        const [at, id] = after as [string, string];
        where.$or = [{ createdAt: { $lt: new Date(at) } }, { createdAt: new Date(at), id: { $lt: id } }];
      }
      const rows = await request.em.find(Notification, where, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: await notificationJson(request, page), next_cursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
    },
  );
  app.post<{ Params: { id: string } }>(
    '/notifications/:id/resend',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: 'Sends a notification again: an e-mail goes back to the queue (attempts start over), a text is queued anew. Not while it is still waiting (`notification_pending`).',
        params: staffParams,
        response: { 200: notificationSchema },
      }),
    },
    async (request) => {
      const row = await request.em.findOne(Notification, { id: request.params.id });
      if (!row) throw new ApiError(404, 'notification_not_found', 'No notification has this id.');
      try {
        assertBusinessVisible(request, row.businessId);
      } catch {
        throw new ApiError(404, 'notification_not_found', 'No notification has this id.');
      }
      if (row.status === 'queued' || row.status === 'sending') throw new ApiError(409, 'notification_pending', 'It has not been tried to the end yet.');
      const before = { status: row.status, attempts: row.attempts, outbox_id: row.outboxId ?? null };
      const now = deps.now();
      if (row.channel === 'email') {
        Object.assign(row, { status: 'queued', attempts: 0, nextAttemptAt: now, leaseUntil: null, lastError: null });
      } else {
        const business = await request.em.findOneOrFail(Business, { id: row.businessId });
        handTextToOutbox(request.em, row, business, deps.defaultSenderId, now);
      }
      auditChange(request, { action: 'notification.resend', entityType: 'notification', entityId: row.id, businessId: row.businessId, before, after: { status: row.status, attempts: row.attempts, outbox_id: row.outboxId ?? null } });
      await request.em.flush();
      return (await notificationJson(request, [row]))[0];
    },
  );
}
