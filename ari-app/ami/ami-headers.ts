import type AsteriskManager from 'asterisk-manager';
import { sanitizeText } from '../../core/phone.js';
import { AMI_UNKNOWN, AmiHeader } from './ami-names.js';

export type AmiMessage = AsteriskManager.AmiMessage;

/** Caller ids and names are attacker-controlled: bounded here already, sanitized again where they are stored. */
const MAX_TEXT = 256;
/** Asterisk's uniqueids are `[system-name-]epoch.sequence`, at most 150 characters (AST_MAX_UNIQUEID). */
const CHANNEL_ID = /^[A-Za-z0-9_.-]{1,150}$/;

/**
 * A header as text: the first of a repeated header, null when absent, empty,
 * not text (Variable headers become objects) or Asterisk's `<unknown>`.
 */
export function headerText(event: AmiMessage, name: string): string | null {
  const value = event[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return null;
  const text = sanitizeText(first, MAX_TEXT).trim();
  return text === '' || text === AMI_UNKNOWN ? null : text;
}

/** The lower-cased event name (asterisk-manager already lower-cases header names, not values). */
export function eventName(event: AmiMessage): string {
  return (headerText(event, AmiHeader.Event) ?? '').toLowerCase();
}

/**
 * A uniqueid or linkedid, or null when it is not one. Ids are keys, so an odd
 * one is refused rather than cleaned: cleaning could make two ids equal.
 */
export function channelIdHeader(event: AmiMessage, name: string): string | null {
  const value = headerText(event, name);
  return value !== null && CHANNEL_ID.test(value) ? value : null;
}

/**
 * When the event happened: its Timestamp header (manager.conf `timestampevents
 * = yes`) when present and plausible, else when it arrived, which for AMI is
 * within milliseconds.
 */
export function eventTime(event: AmiMessage, receivedAt: Date): Date {
  const stamp = Number(headerText(event, AmiHeader.Timestamp));
  if (!Number.isFinite(stamp) || stamp <= 0) return receivedAt;
  const at = new Date(stamp * 1000);
  // A PBX clock a day off is wrong, not informative: the SLA counts from the miss.
  return Math.abs(at.getTime() - receivedAt.getTime()) <= 24 * 60 * 60 * 1000 ? at : receivedAt;
}
