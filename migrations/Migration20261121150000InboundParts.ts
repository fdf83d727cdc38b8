import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 4, inbound long texts. Each part is saved (before its deliver_sm is
 * acknowledged) as an `inbound_pdu` row of kind `mo_part`; the parts of one
 * text meet in an `inbound_concat` row keyed by (source, destination,
 * reference, total), never by the reference alone; the whole text becomes one
 * more `inbound_pdu` row of kind `mo`, and only that row is acted on.
 * The unique indexes are the last line of defence against a text being
 * assembled or acted on twice (two instances, a redelivered part).
 */
export class Migration20261121150000InboundParts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table inbound_concat (
  id uuid primary key,
  source_addr text not null,
  destination_addr text not null,
  reference integer not null check (reference between 0 and 65535),
  total smallint not null check (total between 2 and 255),
  state text not null check (state in ('open', 'complete', 'expired')),
  first_received_at timestamptz not null,
  expires_at timestamptz not null,
  closed_at timestamptz,
  check ((state = 'open') = (closed_at is null))
);
-- One open text per key: a second one would split one text in two.
create unique index inbound_concat_open on inbound_concat (source_addr, destination_addr, reference, total) where state = 'open';
-- The sweep that closes texts whose time limit has passed.
create index inbound_concat_due on inbound_concat (expires_at) where state = 'open';

alter table inbound_pdu drop constraint inbound_pdu_kind_check;
alter table inbound_pdu add constraint inbound_pdu_kind_check check (kind in ('mo', 'receipt', 'mo_part'));
alter table inbound_pdu
  add column part_reference integer check (part_reference between 0 and 65535),
  add column part_total smallint check (part_total between 2 and 255),
  add column part_seq smallint,
  -- UTF-16LE code units: a text column cannot hold half a surrogate pair or NUL.
  add column part_text bytea,
  add column concat_id uuid references inbound_concat (id);
alter table inbound_pdu add constraint inbound_pdu_part_fields check (
  case when kind = 'mo_part'
    then part_reference is not null and part_total is not null and part_text is not null and part_seq between 1 and part_total
    else part_reference is null and part_total is null and part_seq is null and part_text is null
  end);
-- A part number appears once in a text, and a text is put together once.
create unique index inbound_pdu_concat_part on inbound_pdu (concat_id, part_seq) where kind = 'mo_part' and concat_id is not null;
create unique index inbound_pdu_concat_whole on inbound_pdu (concat_id) where kind = 'mo' and concat_id is not null;
-- A redelivered part is recognised by its key, part number and time.
create index inbound_pdu_part_key on inbound_pdu (source_addr, destination_addr, part_reference, part_seq, received_at) where kind = 'mo_part';
`);
  }

  override async down(): Promise<void> {
    // Parts cannot live in the old schema; the whole texts they made stay (kind 'mo').
    this.addSql(`
drop index inbound_pdu_part_key;
drop index inbound_pdu_concat_whole;
drop index inbound_pdu_concat_part;
delete from inbound_pdu where kind = 'mo_part';
alter table inbound_pdu drop constraint inbound_pdu_part_fields;
alter table inbound_pdu drop column concat_id, drop column part_text, drop column part_seq, drop column part_total, drop column part_reference;
alter table inbound_pdu drop constraint inbound_pdu_kind_check;
alter table inbound_pdu add constraint inbound_pdu_kind_check check (kind in ('mo', 'receipt'));
drop table inbound_concat;`);
  }
}
