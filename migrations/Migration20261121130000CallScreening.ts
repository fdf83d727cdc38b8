import { Migration } from '@mikro-orm/migrations';

/** Screening before anyone is bothered (per-business lists and thresholds, why a call was screened) and per-business prompts. */
export class Migration20261121130000CallScreening extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table caller_list_entry (
  id uuid primary key,
  business_id uuid not null references business (id),
  phone_e164 text not null,
  list text not null check (list in ('allow', 'block')),
  note text,
  created_at timestamptz not null,
  unique (business_id, phone_e164)
);

alter table business add column max_calls_per_hour integer not null default 10 check (max_calls_per_hour > 0);
alter table business add column reject_failed_stir_shaken boolean not null default true;
alter table business add column language text not null default 'en' check (language ~ '^[a-z]{2}(_[A-Z]{2})?$');
-- The business's own prompts (its name is in the disclosure): a folder below sounds/<language>/.
alter table business add column prompt_set text check (prompt_set ~ '^[a-z0-9][a-z0-9_-]{0,40}$');

alter table call add column screening_reason text;
create index call_business_caller_recent on call (business_id, caller_e164, entered_at desc);
-- AMI events name calls by uniqueid or linkedid: "was this call already recorded?" must be cheap.
create index call_uniqueid on call (uniqueid);
create index call_linkedid on call (linkedid) where linkedid is not null;
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop index call_linkedid;
drop index call_uniqueid;
drop index call_business_caller_recent;
alter table call drop column screening_reason;
alter table business drop column prompt_set;
alter table business drop column language;
alter table business drop column reject_failed_stir_shaken;
alter table business drop column max_calls_per_hour;
drop table caller_list_entry;`);
  }
}
