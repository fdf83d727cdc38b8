import { EntitySchema } from '@mikro-orm/core';

export type StaffRole = 'admin' | 'receptionist';

/**
 * One of the business's people: who works the callback list, who is alerted,
 * who logs in to the admin page (admin/ owns the login side). businessId null:
 * every business (a platform admin).
 */
export class StaffMember {
  id!: string;
  businessId?: string | null;
  name!: string;
  email?: string | null;
  phoneE164?: string | null;
  /** What Asterisk dials to ring this person's own phone (click-to-call), e.g. `PJSIP/201`. */
  extension?: string | null;
  role!: StaffRole;
  /** Alerted at once about urgent callers and hand-offs. */
  onCall: boolean = false;
  /** The business's manager: overdue callbacks escalate to them, outages and the weekly report reach them. */
  manager: boolean = false;
  /** `HH:MM` in the business's zone when the daily digest goes; null: no digest. */
  digestTime?: string | null = '08:00';
  createdAt: Date = new Date();
  disabledAt?: Date | null;
}

export const StaffMemberSchema = new EntitySchema<StaffMember>({
  class: StaffMember,
  tableName: 'staff_member',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid', nullable: true },
    name: { type: 'string' },
    email: { type: 'string', nullable: true },
    phoneE164: { type: 'string', nullable: true },
    extension: { type: 'string', nullable: true },
    role: { type: 'string' },
    onCall: { type: 'boolean' },
    manager: { type: 'boolean' },
    digestTime: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
    disabledAt: { type: 'Date', nullable: true },
  },
});
