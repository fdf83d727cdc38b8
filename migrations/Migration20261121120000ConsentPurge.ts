import { Migration } from '@mikro-orm/migrations';

/**
 * Retention without losing verifiability (see core/consent/consent-ledger.ts).
 *
 * New records (hash_scheme 2) hash their personal fields apart, with a random
 * salt, into personal_hash; the record hash covers personal_hash, not the fields.
 * A purge erases the personal fields and the salt and keeps personal_hash, so
 * every link still recomputes. Records already written stay scheme 1 and are
 * never purged: their hash covers the personal fields directly.
 *
 * The append-only trigger gets one narrow exception, written here in SQL so it
 * holds for every client, not just this app: an UPDATE that stamps purged_at,
 * nulls exactly the personal columns, changes nothing else, on a scheme-2 record
 * older than the cutoff of its row in the purge log (which must be written first).
 */
export class Migration20261121120000ConsentPurge extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table consent_record
  add column hash_scheme smallint not null default 1 check (hash_scheme in (1, 2)),
  add column salt text,
  add column personal_hash text,
  add column purged_at timestamptz;
-- Existing rows are scheme 1; new rows must say which scheme they use.
alter table consent_record alter column hash_scheme drop default;
alter table consent_record alter column caller_e164 drop not null;
alter table consent_record add constraint consent_record_scheme_2_fields
  check (hash_scheme = 1 or personal_hash is not null);
alter table consent_record add constraint consent_record_personal_until_purged check (
  case when purged_at is null
    then caller_e164 is not null and (hash_scheme = 1 or salt is not null)
    else hash_scheme = 2 and caller_e164 is null and transcript is null and recording_path is null and salt is null
  end);
-- The purge looks up whether any unpurged record still uses a recording file.
create index consent_record_recording_path on consent_record (recording_path) where recording_path is not null;

-- One row per purged record: when, under which retention, and which file went
-- (a content address, not personal). Append-only like the records.
create table consent_purge (
  id uuid primary key,
  consent_record_id uuid not null unique references consent_record (id),
  seq bigint not null,
  purged_at timestamptz not null,
  retention_days integer not null check (retention_days >= 1),
  cutoff timestamptz not null,
  recording_path text
);

create function consent_purge_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the consent purge log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger consent_purge_append_only before update or delete on consent_purge
  for each row execute function consent_purge_is_append_only();
create trigger consent_purge_no_truncate before truncate on consent_purge
  for each statement execute function consent_purge_is_append_only();

create or replace function consent_record_is_append_only() returns trigger language plpgsql as $$
declare
  personal constant text[] := array['caller_e164', 'transcript', 'recording_path', 'salt', 'purged_at'];
begin
  -- Nested IFs, not AND: a TRUNCATE trigger has no OLD/NEW to look at.
  if tg_op = 'UPDATE' then
    if old.purged_at is null and new.purged_at is not null and old.hash_scheme = 2
       and new.caller_e164 is null and new.transcript is null and new.recording_path is null and new.salt is null
       -- Every other column, including any added later, must be unchanged.
       and (to_jsonb(new) - personal) = (to_jsonb(old) - personal)
       and exists (select 1 from consent_purge p where p.consent_record_id = old.id and old.recorded_at < p.cutoff)
    then
      return new;
    end if;
  end if;
  raise exception 'consent records are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
-- Row triggers do not see TRUNCATE.
create trigger consent_record_no_truncate before truncate on consent_record
  for each statement execute function consent_record_is_append_only();
`);
  }

  override async down(): Promise<void> {
    // Fails on purpose once records have been purged: caller_e164 cannot be made required again.
    // Records appended under scheme 2 will not verify with the older code either.
    this.addSql(`
drop trigger consent_record_no_truncate on consent_record;
create or replace function consent_record_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'consent records are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
drop table consent_purge;
drop function consent_purge_is_append_only();
drop index consent_record_recording_path;
alter table consent_record drop constraint consent_record_personal_until_purged;
alter table consent_record drop constraint consent_record_scheme_2_fields;
alter table consent_record alter column caller_e164 set not null;
alter table consent_record drop column purged_at, drop column personal_hash, drop column salt, drop column hash_scheme;`);
  }
}
