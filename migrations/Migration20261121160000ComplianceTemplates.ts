import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 4, compliance and templates: quiet hours (global and per business),
 * what the daily caps count, and each business's own wording of its texts.
 */
export class Migration20261121160000ComplianceTemplates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
-- Settings every instance must read alike; the gate reads them in its claim transaction.
create table app_setting (
  key text primary key,
  value text not null,
  updated_at timestamptz not null
);
-- QUIET_HOURS overwrites this at every start (core/compliance/compliance-settings.ts).
insert into app_setting (key, value, updated_at) values ('quiet_hours', '08:00-20:00', now());

-- A business's own quiet hours; null: the global one.
alter table business add column quiet_hours text
  check (quiet_hours ~ '^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$');

create table message_template (
  business_id uuid not null references business (id) on delete cascade,
  kind text not null check (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  body text not null check (length(body) between 1 and 2000),
  updated_at timestamptz not null,
  primary key (business_id, kind)
);

-- The caps count one number's recent texts from one business before every send.
create index outbox_recipient on outbox_message (business_id, to_e164, created_at desc);
-- Refusals and deferrals, newest first, for the admin API.
create index outbox_refusals on outbox_message (created_at desc, id desc) where refusal_reason is not null;
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop index outbox_refusals;
drop index outbox_recipient;
drop table message_template;
alter table business drop column quiet_hours;
drop table app_setting;`);
  }
}
