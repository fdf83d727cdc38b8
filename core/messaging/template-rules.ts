/**
 * What each kind of text must say, whatever a business writes: checked on the
 * rendered text when a template is saved, with and without a contact phone,
 * so a required line cannot hide inside an `{{#if}}`.
 */
import type { TemplateName } from './templates.js';

export interface TemplateRule {
  /** True when the rendered text satisfies the rule; `businessName` is the sample name it was rendered with. */
  holds(text: string, businessName: string): boolean;
  /** Says what is missing, for the admin who wrote the template. */
  problem: string;
}

const NAMES_THE_BUSINESS: TemplateRule = {
  holds: (text, businessName) => text.includes(businessName),
  problem: 'it must name the business: include {{business.name}}',
};

// Carriers and the CTIA handbook expect the keyword itself, in capitals.
const SAYS_HOW_TO_STOP: TemplateRule = {
  holds: (text) => /\bSTOP\b/.test(text),
  problem: 'it must say how to opt out, with the keyword STOP (e.g. "Reply STOP to opt out")',
};

const SAYS_RATES_MAY_APPLY: TemplateRule = {
  holds: (text) => /rates may apply/i.test(text),
  problem: 'it must say that message and data rates may apply (e.g. "Msg & data rates may apply")',
};

/**
 * The first text is the opt-in confirmation: who is texting, that rates may
 * apply, how to stop (DESIGN, CTIA). HELP answers name the business and STOP;
 * the re-subscription confirmation says how to stop again. The STOP
 * confirmation names the business (and must not try to sell: that a machine
 * cannot check).
 */
export const TEMPLATE_RULES: Record<TemplateName, readonly TemplateRule[]> = {
  first_text: [NAMES_THE_BUSINESS, SAYS_RATES_MAY_APPLY, SAYS_HOW_TO_STOP],
  optout_confirmation: [NAMES_THE_BUSINESS],
  help: [NAMES_THE_BUSINESS, SAYS_HOW_TO_STOP],
  restart_confirmation: [NAMES_THE_BUSINESS, SAYS_HOW_TO_STOP],
};
