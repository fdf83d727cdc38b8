import { Migration } from '@mikro-orm/migrations';

/**
 * The backbone schema. Plain SQL that runs the same on PostgreSQL and on the
 * embedded PGlite: one dialect, one set of migrations.
 */
export class Migration20261121000000Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table business (
  id uuid primary key,
  name text not null check (length(name) between 1 and 80),
  sender_id text,
  contact_phone text,
  time_zone text not null default 'America/New_York',
  consent_mode text not null default 'ivr' check (consent_mode in ('ivr', 'acknowledge_once', 'callback_only')),
  is_default boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index business_one_default on business (is_default) where is_default;

-- The number a caller dialled decides which business (and campaign) the call belongs to.
create table business_did (
  did text primary key,
  business_id uuid not null references business (id),
  lead_source text
);

create table lead (
  id uuid primary key,
  business_id uuid not null references business (id),
  phone_e164 text,
  caller_raw text,
  source text,
  status text not null check (status in ('new', 'texting', 'callback', 'opted_out', 'closed')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index lead_business_phone on lead (business_id, phone_e164, created_at desc);

create table call (
  id uuid primary key,
  business_id uuid not null references business (id),
  lead_id uuid references lead (id),
  channel_id text not null unique,
  uniqueid text not null,
  linkedid text,
  caller_raw text,
  caller_name text,
  caller_e164 text,
  did text,
  reason text not null,
  outcome text not null,
  dtmf text,
  entered_at timestamptz not null,
  answered_at timestamptz,
  ended_at timestamptz not null
);
create index call_entered_at on call (entered_at desc);

-- Consent evidence: append-only and hash-chained. Each row's hash covers its own
-- content and the previous row's hash, so an edit anywhere breaks verification.
create table consent_record (
  id uuid primary key,
  seq bigint not null unique,
  kind text not null check (kind in ('grant', 'decline', 'revoke', 'reinstate')),
  business_id uuid not null references business (id),
  business_name text not null,
  lead_id uuid references lead (id),
  call_id uuid references call (id),
  caller_e164 text not null,
  did text,
  uniqueid text,
  linkedid text,
  recorded_at timestamptz not null,
  caller_time_zone text,
  disclosure_text text,
  disclosure_version text,
  disclosure_sha256 text,
  prompt_audio_sha256 text,
  dtmf text,
  transcript text,
  recording_path text,
  recording_sha256 text,
  recording_duration_ms integer,
  scope text not null,
  source text not null,
  prev_hash text not null,
  hash text not null unique
);
create index consent_record_caller on consent_record (business_id, caller_e164, seq desc);

-- The chain's tail, locked by every append so concurrent appends queue up
-- instead of forking the chain.
create table consent_chain_head (
  id smallint primary key check (id = 1),
  seq bigint not null,
  hash text not null
);
insert into consent_chain_head (id, seq, hash) values (1, 0, repeat('0', 64));

create function consent_record_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'consent records are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger consent_record_append_only before update or delete on consent_record
  for each row execute function consent_record_is_append_only();

create table outbox_message (
  id uuid primary key,
  business_id uuid not null references business (id),
  lead_id uuid references lead (id),
  to_e164 text not null,
  from_addr text not null,
  kind text not null check (kind in ('acknowledgement', 'conversational', 'informational', 'follow_up', 'staff', 'optout_confirmation', 'help')),
  body text not null,
  status text not null check (status in ('queued', 'sending', 'submitted', 'delivered', 'failed', 'expired', 'unknown', 'refused')),
  attempts integer not null default 0,
  not_before timestamptz not null,
  -- While 'sending', the instance that claimed the row owns it until then; a crash leaves it to expire.
  lease_until timestamptz,
  smsc_message_id text,
  refusal_reason text,
  error text,
  created_at timestamptz not null,
  submitted_at timestamptz,
  final_at timestamptz
);
create index outbox_due on outbox_message (not_before) where status = 'queued';
create index outbox_leased on outbox_message (lease_until) where status = 'sending';
create index outbox_smsc_id on outbox_message (smsc_message_id) where smsc_message_id is not null;
create index outbox_to on outbox_message (business_id, to_e164, created_at desc);

-- Every PDU the SMSC delivered to us, saved before we acknowledge it. The
-- dedupe key makes a redelivered PDU a no-op.
create table inbound_pdu (
  id uuid primary key,
  dedupe_key text not null unique,
  kind text not null check (kind in ('mo', 'receipt')),
  source_addr text not null,
  destination_addr text not null,
  body text not null,
  receipted_message_id text,
  receipt_state text,
  received_at timestamptz not null,
  processed_at timestamptz,
  error text
);
create index inbound_pdu_unprocessed on inbound_pdu (received_at) where processed_at is null;

-- The conversation with a lead, both directions, in order.
create table conversation_message (
  id uuid primary key,
  lead_id uuid not null references lead (id),
  direction text not null check (direction in ('in', 'out')),
  body text not null,
  outbox_id uuid references outbox_message (id),
  inbound_id uuid references inbound_pdu (id),
  created_at timestamptz not null
);
create index conversation_lead on conversation_message (lead_id, created_at);

-- Opt-outs and re-opt-ins as events; the newest event per (business, phone) wins.
create table opt_out_event (
  id uuid primary key,
  business_id uuid not null references business (id),
  phone_e164 text not null,
  action text not null check (action in ('stop', 'start')),
  keyword text not null,
  inbound_id uuid references inbound_pdu (id),
  created_at timestamptz not null
);
create index opt_out_lookup on opt_out_event (business_id, phone_e164, created_at desc);

create table callback_task (
  id uuid primary key,
  business_id uuid not null references business (id),
  lead_id uuid not null references lead (id),
  call_id uuid references call (id),
  phone_e164 text,
  caller_raw text,
  reason text not null,
  status text not null check (status in ('open', 'claimed', 'done')),
  priority integer not null default 0,
  attempts integer not null default 0,
  due_at timestamptz not null,
  created_at timestamptz not null,
  closed_at timestamptz
);
create index callback_open_due on callback_task (due_at) where status <> 'done';

create table api_key (
  id uuid primary key,
  name text not null,
  prefix text not null,
  key_hash text not null unique,
  scopes text not null,
  created_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop table api_key; drop table callback_task; drop table opt_out_event; drop table conversation_message;
drop table inbound_pdu; drop table outbox_message; drop trigger consent_record_append_only on consent_record;
drop function consent_record_is_append_only(); drop table consent_chain_head; drop table consent_record;
drop table call; drop table lead; drop table business_did; drop table business;`);
  }
}
