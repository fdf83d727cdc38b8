import Handlebars from 'handlebars';

/**
 * Text templates. SMS is plain text, so Handlebars' HTML escaping is off
 * (`&` must stay `&`); strict mode turns a misspelt variable into an error
 * instead of a silently empty gap in a text a customer reads.
 */
const sms = Handlebars.create();

/** The kinds of text a business can word its own way. A new kind: add it here, to DEFAULT_TEMPLATES and to template-rules.ts. */
export const TEMPLATE_KINDS = ['first_text', 'optout_confirmation', 'help', 'restart_confirmation'] as const;
export type TemplateName = (typeof TEMPLATE_KINDS)[number];

/** What the code knows when it renders a text. */
export interface TemplateContext {
  business: { name: string; contactPhone?: string | null };
}

/**
 * The variables a template may use, as templates spell them (snake_case, like
 * the admin API). Deliberately nothing the caller wrote: a caller's own words
 * echoed back in a business's name would let anyone make the product send
 * their text.
 */
export const TEMPLATE_VARIABLES = ['business.name', 'business.contact_phone'] as const;

export const DEFAULT_TEMPLATES: Record<TemplateName, string> = {
  first_text:
    '{{business.name}}: sorry we missed your call! Reply here and we will help you by text. Msg & data rates may apply. Reply STOP to opt out, HELP for help.',
  optout_confirmation: '{{business.name}}: you are unsubscribed and will get no more texts from us. Reply START to resubscribe.',
  help: '{{business.name}}: texts about your call to us, a few per enquiry. Msg & data rates may apply. Reply STOP to opt out.{{#if business.contact_phone}} Call {{business.contact_phone}}.{{/if}}',
  restart_confirmation: '{{business.name}}: you are subscribed again. Reply STOP to opt out, HELP for help.',
};

/** The object templates see: every documented variable present (null when unset), so strict mode never trips on an unset one. */
interface TemplateView {
  business: { name: string; contact_phone: string | null };
}

// Compiling costs more than rendering; businesses' templates are few, but bound the cache anyway.
const MAX_COMPILED = 1000;
const compiled = new Map<string, Handlebars.TemplateDelegate<TemplateView>>();

/** Renders a template (validated: template-validation.ts), whitespace runs folded to one space. */
export function renderTemplate(source: string, context: TemplateContext): string {
  let template = compiled.get(source);
  if (!template) {
    template = sms.compile<TemplateView>(source, { noEscape: true, strict: true });
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(source, template);
  }
  const view: TemplateView = { business: { name: context.business.name, contact_phone: context.business.contactPhone ?? null } };
  return template(view).replace(/\s+/g, ' ').trim();
}

export function renderDefault(name: TemplateName, context: TemplateContext): string {
  return renderTemplate(DEFAULT_TEMPLATES[name], context);
}

export function isTemplateName(value: string): value is TemplateName {
  return (TEMPLATE_KINDS as readonly string[]).includes(value);
}
