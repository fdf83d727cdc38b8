import { Migration } from '@mikro-orm/migrations';

/**
 * The durable event log webhooks, staff alerts and digests are fanned out from
 * (core/integration/integration-events.ts), and the people who receive them.
 *
 * Why `tx_id`: a `seq` from a sequence is taken at insert, not at commit, so a
 * reader that remembered "I have read up to seq 41" would skip a seq 40 whose
 * transaction commits a moment later. Each row keeps the id of the transaction
 * that wrote it (`pg_current_xact_id()`); readers only take rows whose
 * transaction is older than every transaction still running
 * (`pg_snapshot_xmin`), so nothing can appear behind their position.
 */
export class Migration20261121175000IntegrationEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table integration_event (
  seq bigserial not null unique,
  tx_id xid8 not null default pg_current_xact_id(),
  id uuid primary key,
  type text not null check (length(type) between 1 and 64),
  business_id uuid not null references business (id),
  lead_id uuid null,
  data jsonb not null,
  created_at timestamptz not null
);
create index integration_event_position on integration_event (tx_id, seq);
create index integration_event_business_type on integration_event (business_id, type, created_at desc);
create index integration_event_lead on integration_event (lead_id, created_at) where lead_id is not null;

create function integration_event_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'integration events are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger integration_event_append_only before update on integration_event
  for each row execute function integration_event_is_append_only();

-- Where each consumer (webhook fan-out, notifications, ...) has read up to.
create table integration_cursor (
  consumer text primary key,
  tx_id xid8 not null,
  seq bigint not null,
  updated_at timestamptz not null
);

-- The business's people: who gets alerts, who works the callback list, who logs in
-- (admin/ adds the login side). business_id null: every business (a platform admin).
create table staff_member (
  id uuid primary key,
  business_id uuid null references business (id),
  name text not null check (length(name) between 1 and 120),
  email text null check (email is null or length(email) <= 254),
  phone_e164 text null check (phone_e164 is null or phone_e164 ~ '^\\+[1-9][0-9]{6,14}$'),
  -- What Asterisk dials to ring this person's own phone first (click-to-call), e.g. PJSIP/201.
  extension text null check (extension is null or length(extension) <= 80),
  role text not null check (role in ('admin', 'receptionist')),
  -- Alerted at once about urgent callers and hand-offs (issue 5's escalation, issue 8's rules refine it).
  on_call boolean not null default false,
  created_at timestamptz not null,
  disabled_at timestamptz null
);
create index staff_member_business on staff_member (business_id) where disabled_at is null;

-- An integrator's key may be limited to one business.
alter table api_key add column business_id uuid null references business (id);

-- Who changed what through the admin service: every change, with the state before and after. Never edited.
create table audit_log (
  id uuid primary key,
  at timestamptz not null,
  actor_kind text not null check (actor_kind in ('api_key', 'session', 'system')),
  actor_id text null,
  actor_name text null,
  business_id uuid null,
  action text not null check (length(action) between 1 and 80),
  entity_type text not null,
  entity_id text null,
  before jsonb null,
  after jsonb null,
  request_id text null
);
create index audit_log_at on audit_log (at desc, id);
create index audit_log_business on audit_log (business_id, at desc);
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_is_append_only();

-- Who answers a lead's texts: the conversation engine, or a staff member who took it over
-- (the engine stays silent while a person owns it). The engine adds its own state here.
create table conversation (
  lead_id uuid primary key references lead (id),
  business_id uuid not null references business (id),
  owner text not null default 'engine' check (owner in ('engine', 'staff')),
  owner_staff_id uuid null references staff_member (id),
  owner_since timestamptz null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- Who wrote an outbound text: the system (first text, keywords), the engine, or a staff member.
alter table outbox_message add column author text not null default 'system' check (author in ('system', 'engine', 'staff'));
alter table outbox_message add column staff_member_id uuid null references staff_member (id);
alter table conversation_message add column author text not null default 'caller' check (author in ('caller', 'system', 'engine', 'staff'));
alter table conversation_message add column staff_member_id uuid null references staff_member (id);
update conversation_message set author = 'system' where direction = 'out';

-- Working the callback list: who holds a task, when it was first and last tried, how it ended.
alter table callback_task add column claimed_by uuid null references staff_member (id);
alter table callback_task add column claimed_at timestamptz null;
alter table callback_task add column first_attempt_at timestamptz null;
alter table callback_task add column last_attempt_at timestamptz null;
alter table callback_task add column outcome text null check (
  outcome is null or outcome in ('reached', 'booked', 'no_answer', 'left_voicemail', 'wrong_number', 'not_interested', 'spam', 'max_attempts')
);
alter table callback_task add column note text null check (note is null or length(note) <= 2000);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
alter table conversation_message drop column staff_member_id; alter table conversation_message drop column author;
alter table outbox_message drop column staff_member_id; alter table outbox_message drop column author;
drop table conversation;
alter table callback_task drop column note, drop column outcome, drop column last_attempt_at, drop column first_attempt_at,
  drop column claimed_at, drop column claimed_by;
drop trigger audit_log_append_only on audit_log; drop function audit_log_is_append_only(); drop table audit_log;
alter table api_key drop column business_id; drop table staff_member; drop table integration_cursor;
drop trigger integration_event_append_only on integration_event; drop function integration_event_is_append_only();
drop table integration_event;`);
  }
}
