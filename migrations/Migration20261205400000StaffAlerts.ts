import { Migration } from '@mikro-orm/migrations';

/**
 * Staff alerts (issue 8): who is alerted about what (rules, on-call shifts, the
 * manager), the notifications themselves (one row per message to one person,
 * deduplicated by a unique key so digests and reports go once even with several
 * instances), overdue-callback escalation marks, SMPP / ARI outages, voicemail
 * kept with the lead, weekly reports, and the indexes the metrics read through.
 */
export class Migration20261205400000StaffAlerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
-- The business's manager gets overdue callbacks after the assignee, outages and the weekly report.
alter table staff_member add column manager boolean not null default false;
-- When the daily digest goes, in the business's time zone; null: no digest.
alter table staff_member add column digest_time text null default '08:00'
  check (digest_time is null or digest_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$');

-- A business's alert rules as one document (validated by the admin API); no row: the defaults.
create table notification_policy (
  business_id uuid primary key references business (id) on delete cascade,
  rules jsonb not null,
  updated_at timestamptz not null
);

-- Who is on call when, in the business's zone. No shift at all: staff_member.on_call decides.
create table on_call_shift (
  id uuid primary key,
  business_id uuid not null references business (id) on delete cascade,
  staff_member_id uuid not null references staff_member (id) on delete cascade,
  -- ISO weekdays the shift starts on: 1 = Monday ... 7 = Sunday.
  days smallint[] not null check (cardinality(days) between 1 and 7 and days <@ array[1,2,3,4,5,6,7]::smallint[]),
  start_time text not null check (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time text not null check (end_time ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'),
  created_at timestamptz not null
);
create index on_call_shift_business on on_call_shift (business_id);

-- One message to one person: an instant alert, a digest, an escalation, a weekly report.
create table notification (
  id uuid primary key,
  business_id uuid not null references business (id),
  staff_member_id uuid null references staff_member (id) on delete set null,
  kind text not null check (kind in ('alert', 'digest', 'report')),
  trigger text not null check (length(trigger) between 1 and 64),
  channel text not null check (channel in ('text', 'email')),
  -- Once only: a second insert with the same key does nothing (ON CONFLICT DO NOTHING).
  dedupe_key text not null unique check (length(dedupe_key) <= 300),
  event_id uuid null,
  lead_id uuid null,
  to_address text not null check (length(to_address) between 1 and 254),
  subject text not null check (length(subject) <= 300),
  body_text text not null,
  body_html text null,
  -- [{filename, content_type, content}] for e-mail (the weekly report's CSV).
  attachments jsonb null,
  status text not null check (status in ('queued', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz null,
  last_error text null check (last_error is null or length(last_error) <= 500),
  -- Texts are handed to the outbox (the SMS gateway and its compliance gate send them).
  outbox_id uuid null references outbox_message (id),
  created_at timestamptz not null,
  sent_at timestamptz null
);
create index notification_due on notification (next_attempt_at) where status = 'queued';
create index notification_leased on notification (lease_until) where status = 'sending';
create index notification_business_created on notification (business_id, created_at desc, id desc);
create index notification_failed on notification (created_at desc) where status = 'failed';

-- Overdue callbacks escalate once per step: the assignee (or on-call), then the manager.
alter table callback_task add column overdue_alerted_at timestamptz null;
alter table callback_task add column manager_alerted_at timestamptz null;
create index callback_task_overdue on callback_task (due_at) where status <> 'done' and manager_alerted_at is null;

-- An outage of a part (ari, smpp, ami): one open row per part across instances.
create table part_outage (
  id uuid primary key,
  part text not null check (part in ('ari', 'smpp', 'ami')),
  down_since timestamptz not null,
  -- The last time any instance saw the part down: nobody reporting it lately means it is back.
  last_seen_down_at timestamptz not null,
  reported_by text not null,
  ended_at timestamptz null
);
create unique index part_outage_open on part_outage (part) where ended_at is null;

-- A message a caller left (IVR message or the PBX's voicemail), kept with the lead and transcribed.
create table voicemail (
  id uuid primary key,
  business_id uuid not null references business (id),
  lead_id uuid not null references lead (id),
  call_id uuid null references call (id),
  callback_task_id uuid null references callback_task (id),
  source text not null check (source in ('ivr', 'voicemail_spool')),
  -- The PBX's own id for a spool message, so it is taken once.
  external_id text null unique check (external_id is null or length(external_id) <= 300),
  recording_path text not null,
  recording_sha256 text not null,
  duration_ms integer null,
  transcript text null,
  transcript_engine text null,
  transcription text not null check (transcription in ('pending', 'transcribing', 'done', 'failed', 'unavailable')),
  attempts integer not null default 0,
  lease_until timestamptz null,
  error text null check (error is null or length(error) <= 500),
  created_at timestamptz not null,
  transcribed_at timestamptz null
);
create index voicemail_lead on voicemail (lead_id, created_at);
create index voicemail_task on voicemail (callback_task_id) where callback_task_id is not null;
create index voicemail_pending on voicemail (created_at) where transcription in ('pending', 'transcribing');

-- The weekly recovery report: one row per business and week, whoever computes it first.
create table weekly_report (
  business_id uuid not null references business (id) on delete cascade,
  week_start date not null,
  figures jsonb not null,
  created_at timestamptz not null,
  primary key (business_id, week_start)
);

-- The metrics read calls, leads and tasks of one business over a date range.
create index call_business_entered on call (business_id, entered_at);
create index lead_business_created on lead (business_id, created_at);
create index callback_task_business_created on callback_task (business_id, created_at);
create index consent_record_lead on consent_record (lead_id) where lead_id is not null;
-- A lead's calls and callback tasks, whatever their state (metrics, digests).
create index call_lead on call (lead_id, entered_at) where lead_id is not null;
create index callback_task_lead on callback_task (lead_id, created_at);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop index callback_task_lead; drop index call_lead; drop index consent_record_lead; drop index callback_task_business_created; drop index lead_business_created; drop index call_business_entered;
drop table weekly_report; drop table voicemail; drop table part_outage;
drop index callback_task_overdue;
alter table callback_task drop column manager_alerted_at, drop column overdue_alerted_at;
drop table notification; drop table on_call_shift; drop table notification_policy;
alter table staff_member drop column digest_time, drop column manager;`);
  }
}
