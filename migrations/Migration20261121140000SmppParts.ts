import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 4, SMPP: every part of a long text with its own SMSC message id (so
 * receipts match part by part), the segment count on the text, and the moment
 * its first submit_sm was handed to the SMSC (which tells a crashed sender's
 * row that may be resent from one that must not be).
 */
export class Migration20261121140000SmppParts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table outbox_message add column segments integer check (segments is null or segments >= 1);
-- Set, under the recipient's lock, just before the first submit_sm of an attempt is written;
-- cleared when the text goes back to the queue. A lapsed lease with it set means "maybe sent".
alter table outbox_message add column write_started_at timestamptz;

create table outbox_part (
  outbox_id uuid not null references outbox_message (id),
  seq integer not null check (seq >= 1),
  total integer not null check (total >= seq),
  smsc_message_id text not null,
  connection text not null,
  status text not null check (status in ('submitted', 'delivered', 'failed', 'expired')),
  receipt_state text,
  submitted_at timestamptz not null,
  receipt_at timestamptz,
  primary key (outbox_id, seq)
);
-- Receipts find their part by the SMSC's message id.
create index outbox_part_smsc_id on outbox_part (smsc_message_id);
-- Receipts that came before the submit_sm_resp was recorded are found again by id.
create index inbound_pdu_receipted on inbound_pdu (receipted_message_id) where kind = 'receipt';
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop index inbound_pdu_receipted;
drop table outbox_part;
alter table outbox_message drop column write_started_at;
alter table outbox_message drop column segments;`);
  }
}
