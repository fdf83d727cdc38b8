/**
 * What Asterisk should be told, as a pure function: one global per DID
 * (`MCR_OPEN_<digits>`) and `MCR_OPEN_DEFAULT` for the default business,
 * `1` open or `0` closed, and when the next of them flips.
 */
import type { Business, BusinessDid } from '../../core/entities/index.js';
import { isOpen, nextChange } from '../../core/hours/opening-hours.js';
import type { OpeningRules } from '../../core/hours/opening-rules.js';

/** The global the dialplan falls back to for numbers no business claims. */
export const DEFAULT_OPEN_VARIABLE = 'MCR_OPEN_DEFAULT';

export type OpenValue = '1' | '0';

export interface OpenStatePlan {
  values: Map<string, OpenValue>;
  /** The earliest instant one of the values flips; null when none ever does. */
  nextChangeAt: Date | null;
  /** Businesses or numbers left out, and why (a zone Intl does not know, two businesses on one number). */
  problems: string[];
}

/**
 * The dialplan reads `MCR_OPEN_${FILTER(0-9,${MCR_DID})}`: only the digits,
 * so +12125550100 and 12125550100 are one variable. A DID without digits
 * (`s`) has none and the dialplan uses the default.
 */
export function openVariableName(did: string): string | null {
  const digits = did.replace(/\D/g, '');
  return digits ? `MCR_OPEN_${digits}` : null;
}

export function planOpenState(
  businesses: readonly { business: Business; rules: OpeningRules }[],
  dids: readonly BusinessDid[],
  at: Date,
): OpenStatePlan {
  const problems: string[] = [];
  const states = new Map<string, OpenValue>();
  let nextChangeAt: Date | null = null;
  for (const { business, rules } of businesses) {
    try {
      states.set(business.id, isOpen(rules.schedule, rules.holidays, rules.timeZone, at) ? '1' : '0');
      const change = nextChange(rules.schedule, rules.holidays, rules.timeZone, at);
      if (change && (!nextChangeAt || change.at < nextChangeAt)) nextChangeAt = change.at;
    } catch (err) {
      problems.push(`business ${business.id}: ${err instanceof Error ? err.message : String(err)} (time zone ${rules.timeZone})`);
    }
  }

  const values = new Map<string, OpenValue>();
  const defaultBusiness = businesses.find(({ business }) => business.isDefault)?.business;
  const defaultState = defaultBusiness ? states.get(defaultBusiness.id) : undefined;
  if (defaultState) values.set(DEFAULT_OPEN_VARIABLE, defaultState);

  const owners = new Map<string, string>();
  for (const mapping of [...dids].sort((a, b) => a.did.localeCompare(b.did))) {
    const name = openVariableName(mapping.did);
    const state = states.get(mapping.businessId);
    if (!name || !state) continue;
    const owner = owners.get(name);
    if (owner !== undefined && owner !== mapping.businessId) {
      problems.push(`${mapping.did} and another number share ${name} but belong to different businesses; the first (${owner}) wins`);
      continue;
    }
    owners.set(name, mapping.businessId);
    values.set(name, state);
  }
  return { values, nextChangeAt, problems };
}
