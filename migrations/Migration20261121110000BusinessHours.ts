import { Migration } from '@mikro-orm/migrations';

/**
 * Opening hours and holidays per business, in the business's own zone
 * (`business.time_zone`, IANA). The app turns them into open/closed for the
 * dialplan (ari-app/hours); the API is where they are edited.
 *
 * Times are wall-clock `time` values. A range ending past midnight says so
 * with `ends_next_day` rather than being guessed from a close before the open,
 * so a typo (17:00-09:00) is refused instead of becoming a night shift.
 * Overlaps between ranges are checked by the app (core/hours/validate-ranges).
 */
export class Migration20261121110000BusinessHours extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table business_hours (
  id uuid primary key,
  business_id uuid not null references business (id) on delete cascade,
  -- ISO 8601: 1 = Monday ... 7 = Sunday, as PostgreSQL's isodow.
  day_of_week smallint not null check (day_of_week between 1 and 7),
  open_time time not null check (open_time < '24:00'),
  close_time time not null,
  ends_next_day boolean not null default false,
  check (case when ends_next_day then close_time <= open_time else close_time > open_time end)
);
create index business_hours_business on business_hours (business_id, day_of_week, open_time);

-- A date in the business's calendar whose hours replace the week's. No rows in
-- business_holiday_hours for it means closed all day.
create table business_holiday (
  id uuid primary key,
  business_id uuid not null references business (id) on delete cascade,
  date date not null,
  name text check (length(name) between 1 and 80),
  created_at timestamptz not null default now(),
  unique (business_id, date)
);

create table business_holiday_hours (
  id uuid primary key,
  holiday_id uuid not null references business_holiday (id) on delete cascade,
  open_time time not null check (open_time < '24:00'),
  close_time time not null,
  ends_next_day boolean not null default false,
  check (case when ends_next_day then close_time <= open_time else close_time > open_time end)
);
create index business_holiday_hours_holiday on business_holiday_hours (holiday_id, open_time);
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table business_holiday_hours; drop table business_holiday; drop table business_hours;');
  }
}
