import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { resolveBusinessByDid } from '../businesses/business-directory.js';
import { openCallbackTask } from '../callbacks/callback-tasks.js';
import { appendConsentRecord } from '../consent/consent-ledger.js';
import { Call, OutboxMessage, type CallOutcome, type CallbackReason, type MissReason } from '../entities/index.js';
import { renderBusinessText } from '../messaging/business-templates.js';
import { queueText } from '../messaging/queue-text.js';
import { findOrOpenLead } from './leads.js';
import { keepVoicemail } from '../voicemail/keep-voicemail.js';
import { normalizeDid, readCallerNumber, sanitizeText } from '../phone.js';

/** How the consent IVR ended for one call, as the call side saw it. */
export type IvrChoice = 'text' | 'callback' | 'declined' | 'landline' | 'timeout' | 'hangup';

/** The number the IVR settled on: the caller id, or a number the caller keyed in and confirmed. */
export interface IvrLine {
  e164: string;
  lineType: 'mobile' | 'fixed' | 'unknown';
}

export interface PromptEvidence {
  disclosureText: string;
  disclosureVersion: string;
  disclosureSha256: string;
  promptAudioSha256: string | null;
}

export interface RecordingEvidence {
  relativePath: string;
  sha256: string;
  durationMs: number | null;
}

export interface IvrOutcome {
  channelId: string;
  uniqueid: string;
  linkedid?: string | null;
  callerNumber?: string | null;
  callerName?: string | null;
  dialedNumber?: string | null;
  reason: MissReason;
  choice: IvrChoice;
  /** The number the outcome is about; absent: read it from the caller id. */
  line?: IvrLine | null;
  /** The caller keyed the number in (their caller id was withheld or unusable). */
  keyed?: boolean;
  /** The caller answered by voice: what the speech engine heard, and which engine. */
  spoken?: { transcript: string; engine: string } | null;
  dtmf?: string | null;
  enteredAt: Date;
  answeredAt?: Date | null;
  endedAt: Date;
  prompts: PromptEvidence;
  recording?: RecordingEvidence | null;
  /** A message the caller left after choosing a call back: kept with the lead and transcribed (core/voicemail). */
  message?: RecordingEvidence | null;
}

export interface IvrOutcomeSettings {
  defaultCountry: string;
  defaultSenderId: string;
}

export interface RecordedOutcome {
  callId: string;
  leadId: string;
  outcome: CallOutcome;
  consentRecordId?: string;
  outboxId?: string;
  callbackTaskId?: string;
  voicemailId?: string;
  /** True when this channel had already been recorded (a repeated StasisStart, a retry). */
  duplicate: boolean;
}

/**
 * The story of one missed call after the IVR, written in ONE transaction: the
 * call, the lead, the consent record and the first text's outbox row all exist
 * together or not at all.
 */
export async function recordIvrOutcome(em: EntityManager, settings: IvrOutcomeSettings, outcome: IvrOutcome): Promise<RecordedOutcome> {
  return em.transactional(async (tx) => {
    const existing = await tx.findOne(Call, { channelId: outcome.channelId });
    if (existing) return { callId: existing.id, leadId: existing.leadId ?? '', outcome: existing.outcome, duplicate: true };

    const caller = readCallerNumber(outcome.callerNumber, settings.defaultCountry);
    const did = normalizeDid(outcome.dialedNumber, settings.defaultCountry);
    const { business, leadSource } = await resolveBusinessByDid(tx, did);
    const phone = outcome.line?.e164 ?? (caller.kind === 'valid' ? caller.e164 : null);
    const lead = await findOrOpenLead(tx, {
      businessId: business.id,
      phone,
      callerRaw: caller.raw,
      source: leadSource,
      at: outcome.enteredAt,
    });

    const callOutcome = decideCallOutcome(outcome.choice, phone !== null, outcome.line?.lineType ?? 'unknown');
    const call = Object.assign(new Call(), {
      id: randomUUID(),
      businessId: business.id,
      leadId: lead.id,
      channelId: outcome.channelId,
      uniqueid: outcome.uniqueid,
      linkedid: outcome.linkedid ?? null,
      callerRaw: caller.raw,
      callerName: outcome.callerName ? sanitizeText(outcome.callerName, 80) : null,
      callerE164: phone,
      did,
      reason: outcome.reason,
      outcome: callOutcome,
      dtmf: outcome.dtmf ?? null,
      enteredAt: outcome.enteredAt,
      answeredAt: outcome.answeredAt ?? null,
      endedAt: outcome.endedAt,
    });
    tx.persist(call);
    await tx.flush();

    const result: RecordedOutcome = { callId: call.id, leadId: lead.id, outcome: callOutcome, duplicate: false };
    const evidence = {
      businessId: business.id,
      businessName: business.name,
      leadId: lead.id,
      callId: call.id,
      did,
      uniqueid: outcome.uniqueid,
      linkedid: outcome.linkedid ?? null,
      recordedAt: outcome.endedAt,
      callerTimeZone: null,
      disclosureText: outcome.prompts.disclosureText,
      disclosureVersion: outcome.prompts.disclosureVersion,
      disclosureSha256: outcome.prompts.disclosureSha256,
      promptAudioSha256: outcome.prompts.promptAudioSha256,
      dtmf: outcome.dtmf ?? null,
      recordingPath: outcome.recording?.relativePath ?? null,
      recordingSha256: outcome.recording?.sha256 ?? null,
      recordingDurationMs: outcome.recording?.durationMs ?? null,
      scope: 'texts about this enquiry',
      // How consent was given is part of the evidence: a keyed-in number is the
      // caller's own statement (not their caller id), a spoken answer names its engine.
      source: consentSource(outcome),
      transcript: outcome.spoken?.transcript ?? null,
    };

    if (callOutcome === 'consented' && phone) {
      const consent = await appendConsentRecord(tx, { ...evidence, kind: 'grant', callerE164: phone });
      result.consentRecordId = consent.id;
      lead.status = 'texting';
      // One recovery text per lead: a repeat caller who presses 1 again is not texted twice.
      const alreadyTexted = (await tx.count(OutboxMessage, { leadId: lead.id, kind: 'acknowledgement' })) > 0;
      if (!alreadyTexted) {
        const message = queueText(tx, {
          businessId: business.id,
          leadId: lead.id,
          toE164: phone,
          fromAddr: business.senderId ?? settings.defaultSenderId,
          kind: 'acknowledgement',
          body: await renderBusinessText(tx, business, 'first_text'),
        });
        result.outboxId = message.id;
      }
    } else {
      if ((callOutcome === 'callback_requested' || callOutcome === 'declined') && phone) {
        // An explicit "no texts" is evidence too: it is chained like a grant.
        const consent = await appendConsentRecord(tx, { ...evidence, kind: 'decline', callerE164: phone });
        result.consentRecordId = consent.id;
      }
      const task = await openCallbackTask(tx, {
        businessId: business.id,
        leadId: lead.id,
        callId: call.id,
        phoneE164: phone,
        callerRaw: caller.raw,
        reason: callbackReasonFor(callOutcome),
        missedAt: outcome.enteredAt,
      });
      lead.status = 'callback';
      result.callbackTaskId = task.id;
      if (outcome.message) {
        await tx.flush(); // the task first: the voicemail refers to it
        const voicemail = keepVoicemail(tx, {
          businessId: business.id,
          leadId: lead.id,
          callId: call.id,
          callbackTaskId: task.id,
          source: 'ivr',
          recording: outcome.message,
        });
        result.voicemailId = voicemail.id;
      }
    }
    lead.updatedAt = new Date();
    await tx.flush();
    return result;
  });
}

function consentSource(outcome: IvrOutcome): string {
  const parts = ['ivr'];
  if (outcome.keyed) parts.push('keyed_number');
  const source = parts.join('_');
  return outcome.spoken ? `${source}:speech:${outcome.spoken.engine}` : source;
}

function decideCallOutcome(choice: IvrChoice, hasNumber: boolean, lineType: IvrLine['lineType']): CallOutcome {
  switch (choice) {
    case 'text':
      if (!hasNumber) return 'withheld_number';
      // Belt and braces: the IVR never offers texts to a known landline.
      return lineType === 'fixed' ? 'landline' : 'consented';
    case 'callback':
      return hasNumber ? 'callback_requested' : 'withheld_number';
    case 'declined':
      return 'declined';
    case 'landline':
      return 'landline';
    case 'timeout':
      return 'no_response';
    case 'hangup':
      return 'hung_up';
  }
}

function callbackReasonFor(outcome: CallOutcome): CallbackReason {
  switch (outcome) {
    case 'callback_requested':
      return 'callback_requested';
    case 'declined':
      return 'declined_texts';
    case 'landline':
      return 'landline';
    case 'withheld_number':
      return 'withheld_number';
    case 'no_response':
      return 'no_response';
    case 'hung_up':
      return 'hung_up_in_ivr';
    default:
      return 'no_response';
  }
}
