/**
 * Where the gate finds the quiet hours: the business's own, else the global
 * QUIET_HOURS. The global one lives in the database (`app_setting`) because
 * the gate sees nothing but the EntityManager of the transaction that claims
 * a text; every start writes the configured value there, so the setting, not
 * the table, is the source of truth (give every instance the same value).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppSetting, type Business } from '../entities/index.js';
import { DEFAULT_SEND_WINDOW, formatSendWindow, parseSendWindow, type SendWindow } from './quiet-hours.js';

const QUIET_HOURS_KEY = 'quiet_hours';

export interface EffectiveQuietHours {
  window: SendWindow;
  source: 'business' | 'default';
}

/** Stores the configured global window (at start). */
export async function storeDefaultQuietHours(em: EntityManager, window: SendWindow): Promise<void> {
  const value = formatSendWindow(window);
  await em.upsert(AppSetting, { key: QUIET_HOURS_KEY, value, updatedAt: new Date() });
}

export async function loadDefaultQuietHours(em: EntityManager): Promise<SendWindow> {
  const row = await em.findOne(AppSetting, { key: QUIET_HOURS_KEY });
  // A missing or unreadable row cannot widen anything: fall back to the strict default.
  return (row && parseSendWindow(row.value)) ?? DEFAULT_SEND_WINDOW;
}

export async function effectiveQuietHours(em: EntityManager, business: Business): Promise<EffectiveQuietHours> {
  const own = business.quietHours ? parseSendWindow(business.quietHours) : null;
  if (own) return { window: own, source: 'business' };
  return { window: await loadDefaultQuietHours(em), source: 'default' };
}
