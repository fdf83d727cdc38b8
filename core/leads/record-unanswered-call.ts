import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { resolveBusinessByDid } from '../businesses/business-directory.js';
import { openCallbackTask } from '../callbacks/callback-tasks.js';
import { loadCallerScreeningFacts } from '../screening/screen-incoming-call.js';
import { Business, Call, type CallOutcome, type CallbackReason, type UnansweredReason } from '../entities/index.js';
import { screenCall, type ScreeningReason, type ScreeningVerdict } from '../screening/screening-rules.js';
import { normalizeDid, readCallerNumber, sanitizeText } from '../phone.js';
import { findOrOpenLead } from './leads.js';

/**
 * A call that never reached the consent IVR, as the PBX reported it (over AMI):
 * the caller hung up while ringing, the app was down, Dial() could not ring,
 * the caller gave up in a queue, or the call ended in voicemail.
 */
export interface UnansweredCall {
  /** Asterisk's Uniqueid of the caller's channel: the key that makes recording idempotent. */
  uniqueid: string;
  linkedid: string | null;
  /** Caller id as sent: untrusted, may be withheld or garbage. */
  callerNumber: string | null;
  callerName: string | null;
  /** The number dialled, when known. */
  did: string | null;
  reason: UnansweredReason;
  at: Date;
  /** How long the call rang before the caller gave up, when the PBX says. */
  ringSeconds?: number | null;
}

export interface UnansweredCallSettings {
  defaultCountry: string;
  /** Abandoned calls that rang less than this are screened as one-ring scams (0: off). */
  minRingSeconds?: number;
}

export interface RecordedUnansweredCall {
  /** True when this call (or the IVR's record of it) was already there: nothing was written. */
  duplicate: boolean;
  callId: string | null;
  leadId: string | null;
  callbackTaskId: string | null;
  callbackReason: CallbackReason | null;
  /** False when the lead already had an open task (a repeat caller): receptionists are not asked twice. */
  taskCreated: boolean;
  /** Why screening stopped it, when it did (the call is logged, nothing else). */
  screened?: ScreeningReason;
}

/** Abandoned after less ringing than this: the pattern of one-ring callback scams. */
const DEFAULT_MIN_RING_SECONDS = 3;

/**
 * The same screening the IVR applies, plus ring time (only an abandoned call has
 * one). Only calls the caller abandoned are screened for ring time: a call that
 * reached voicemail or found the app down rang as long as the PBX let it.
 */
async function screenUnanswered(
  em: EntityManager,
  business: Business,
  callerKind: 'valid' | 'withheld' | 'invalid',
  phone: string | null,
  input: UnansweredCall,
  minRingSeconds: number,
): Promise<ScreeningVerdict> {
  const abandoned = input.reason === 'ABANDONED' || input.reason === 'QUEUE_ABANDONED';
  return screenCall({
    callerKind,
    ...(await loadCallerScreeningFacts(em, business, phone, input.at)),
    // AMI reports no STIR/SHAKEN verdict for calls that never reached the app.
    stirShakenResult: null,
    ringSeconds: abandoned ? input.ringSeconds : null,
    minRingSeconds: minRingSeconds > 0 ? minRingSeconds : undefined,
  });
}

/** Asterisk's own limit for a uniqueid (AST_MAX_UNIQUEID). */
const MAX_ID_LENGTH = 150;

const OUTCOME_OF: Record<UnansweredReason, CallOutcome> = {
  ABANDONED: 'abandoned',
  QUEUE_ABANDONED: 'abandoned',
  VOICEMAIL: 'voicemail',
  STASIS_FAILED: 'app_unavailable',
  DIAL_FAILED: 'dial_failed',
};

const TASK_REASON_OF: Record<UnansweredReason, CallbackReason> = {
  ABANDONED: 'abandoned',
  QUEUE_ABANDONED: 'abandoned',
  VOICEMAIL: 'voicemail',
  // Either way the app never had the caller and voicemail took them: someone has to call back.
  STASIS_FAILED: 'app_unavailable',
  DIAL_FAILED: 'app_unavailable',
};

const DUPLICATE: RecordedUnansweredCall = {
  duplicate: true,
  callId: null,
  leadId: null,
  callbackTaskId: null,
  callbackReason: null,
  taskCreated: false,
};

/**
 * Puts a call that never reached the IVR on the callback list, in ONE
 * transaction: the call, its lead (a repeat caller joins the open one) and a
 * callback task. Never a text and never a consent record: nobody consented to
 * anything. A call already recorded, by this or by the IVR, is left alone.
 */
export async function recordUnansweredCall(
  em: EntityManager,
  settings: UnansweredCallSettings,
  input: UnansweredCall,
): Promise<RecordedUnansweredCall> {
  const uniqueid = sanitizeText(input.uniqueid, MAX_ID_LENGTH).trim();
  if (!uniqueid) throw new Error('an unanswered call needs the uniqueid of its channel');
  const linkedid = input.linkedid ? sanitizeText(input.linkedid, MAX_ID_LENGTH).trim() || null : null;
  try {
    return await em.transactional(async (tx) => {
      if (await findRecordedCall(tx, uniqueid, linkedid)) return DUPLICATE;

      const caller = readCallerNumber(input.callerNumber, settings.defaultCountry);
      const did = normalizeDid(input.did, settings.defaultCountry);
      const { business, leadSource } = await resolveBusinessByDid(tx, did);
      const phone = caller.kind === 'valid' ? caller.e164 : null;
      const verdict = await screenUnanswered(tx, business, caller.kind, phone, input, settings.minRingSeconds ?? DEFAULT_MIN_RING_SECONDS);
      if (verdict.screened) {
        // Logged with its reason; no lead, no task, never a text.
        await tx.persistAndFlush(
          Object.assign(new Call(), {
            id: randomUUID(),
            businessId: business.id,
            leadId: null,
            channelId: uniqueid,
            uniqueid,
            linkedid,
            callerRaw: caller.raw,
            callerName: input.callerName ? sanitizeText(input.callerName, 80) : null,
            callerE164: phone,
            did,
            reason: input.reason,
            outcome: 'screened' as const,
            screeningReason: verdict.reason,
            enteredAt: input.at,
            endedAt: input.at,
          }),
        );
        return { ...DUPLICATE, duplicate: false, screened: verdict.reason };
      }
      const lead = await findOrOpenLead(tx, { businessId: business.id, phone, callerRaw: caller.raw, source: leadSource, at: input.at });

      const call = Object.assign(new Call(), {
        id: randomUUID(),
        businessId: business.id,
        leadId: lead.id,
        // The IVR keys its rows by the ARI channel id, which is this same uniqueid: one row per channel, whoever writes it.
        channelId: uniqueid,
        uniqueid,
        linkedid,
        callerRaw: caller.raw,
        callerName: input.callerName ? sanitizeText(input.callerName, 80) : null,
        callerE164: phone,
        did,
        reason: input.reason,
        outcome: OUTCOME_OF[input.reason],
        dtmf: null,
        enteredAt: input.at,
        answeredAt: null,
        endedAt: input.at,
      });
      tx.persist(call);
      await tx.flush();

      const reason = TASK_REASON_OF[input.reason];
      const task = await openCallbackTask(tx, {
        businessId: business.id,
        leadId: lead.id,
        callId: call.id,
        phoneE164: phone,
        callerRaw: caller.raw,
        reason,
        missedAt: input.at,
      });
      // A lead already being texted (the caller consented earlier) stays so; the task puts it on the list.
      if (lead.status === 'new') lead.status = 'callback';
      lead.updatedAt = new Date();
      await tx.flush();
      return {
        duplicate: false,
        callId: call.id,
        leadId: lead.id,
        callbackTaskId: task.id,
        callbackReason: task.reason,
        taskCreated: task.callId === call.id,
      };
    });
  } catch (err) {
    // Another instance (every instance with the ari role hears the same AMI events)
    // or the IVR committed this channel first: the unique channel_id said no, and
    // the whole transaction rolled back.
    if (err instanceof UniqueConstraintViolationException) return DUPLICATE;
    throw err;
  }
}

/** A call row for this channel, or for the call it belongs to, written by the IVR or by an earlier event. */
async function findRecordedCall(em: EntityManager, uniqueid: string, linkedid: string | null): Promise<Call | null> {
  const ids = linkedid && linkedid !== uniqueid ? [uniqueid, linkedid] : [uniqueid];
  return em.findOne(Call, { $or: [{ channelId: { $in: ids } }, { uniqueid: { $in: ids } }, { linkedid: { $in: ids } }] });
}
