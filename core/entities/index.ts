import { ApiKeySchema } from './api-key.js';
import { AppSettingSchema } from './app-setting.js';
import { AuditEntrySchema } from './audit-entry.js';
import { BusinessDidSchema, BusinessSchema } from './business.js';
import { BusinessHolidayHoursSchema, BusinessHolidaySchema, BusinessHoursSchema } from './business-hours.js';
import { CallSchema } from './call.js';
import { CallerListEntrySchema } from './caller-list-entry.js';
import { CallbackTaskSchema } from './callback-task.js';
import { ConsentRecordSchema } from './consent-record.js';
import { ConversationSchema } from './conversation.js';
import { ConversationMessageSchema } from './conversation-message.js';
import { InboundConcatSchema } from './inbound-concat.js';
import { InboundPduSchema } from './inbound-pdu.js';
import { IntegrationEventSchema } from './integration-event.js';
import { LeadSchema } from './lead.js';
import { MessageTemplateSchema } from './message-template.js';
import { NotificationPolicySchema, NotificationSchema, OnCallShiftSchema } from './notification.js';
import { OptOutEventSchema } from './opt-out-event.js';
import { OutboxMessageSchema } from './outbox-message.js';
import { OutboxPartSchema } from './outbox-part.js';
import { StaffMemberSchema } from './staff-member.js';
import { VoicemailSchema } from './voicemail.js';

export * from './api-key.js';
export * from './app-setting.js';
export * from './audit-entry.js';
export * from './business.js';
export * from './business-hours.js';
export * from './call.js';
export * from './caller-list-entry.js';
export * from './callback-task.js';
export * from './consent-record.js';
export * from './conversation.js';
export * from './conversation-message.js';
export * from './inbound-concat.js';
export * from './inbound-pdu.js';
export * from './integration-event.js';
export * from './lead.js';
export * from './message-template.js';
export * from './notification.js';
export * from './opt-out-event.js';
export * from './outbox-message.js';
export * from './outbox-part.js';
export * from './staff-member.js';
export * from './voicemail.js';

export const entitySchemas = [
  ApiKeySchema,
  AppSettingSchema,
  AuditEntrySchema,
  BusinessSchema,
  BusinessDidSchema,
  BusinessHoursSchema,
  BusinessHolidaySchema,
  BusinessHolidayHoursSchema,
  CallSchema,
  CallerListEntrySchema,
  CallbackTaskSchema,
  ConsentRecordSchema,
  ConversationSchema,
  ConversationMessageSchema,
  InboundConcatSchema,
  InboundPduSchema,
  IntegrationEventSchema,
  LeadSchema,
  MessageTemplateSchema,
  OptOutEventSchema,
  OutboxMessageSchema,
  OutboxPartSchema,
  StaffMemberSchema,
  // issue 8: staff alerts
  NotificationSchema,
  NotificationPolicySchema,
  OnCallShiftSchema,
  VoicemailSchema,
];
