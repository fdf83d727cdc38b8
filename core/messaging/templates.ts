import Handlebars from 'handlebars';

/**
 * Text templates. SMS is plain text, so Handlebars' HTML escaping is off
 * (`&` must stay `&`); strict mode turns a misspelt variable into an error
 * instead of a silently empty gap in a text a customer reads.
 */
const sms = Handlebars.create();

export interface TemplateContext {
  business: { name: string; contactPhone?: string | null };
}

export const DEFAULT_TEMPLATES = {
  first_text:
    '{{business.name}}: sorry we missed your call! Reply here and we will help you by text. Msg & data rates may apply. Reply STOP to opt out, HELP for help.',
  optout_confirmation: '{{business.name}}: you are unsubscribed and will get no more texts from us. Reply START to resubscribe.',
  help: '{{business.name}}: texts about your call to us, a few per enquiry. Msg & data rates may apply. Reply STOP to opt out.{{#if business.contactPhone}} Call {{business.contactPhone}}.{{/if}}',
  restart_confirmation: '{{business.name}}: you are subscribed again. Reply STOP to opt out, HELP for help.',
} as const;

export type TemplateName = keyof typeof DEFAULT_TEMPLATES;

const compiled = new Map<string, Handlebars.TemplateDelegate<TemplateContext>>();

export function renderTemplate(source: string, context: TemplateContext): string {
  let template = compiled.get(source);
  if (!template) {
    template = sms.compile<TemplateContext>(source, { noEscape: true, strict: true });
    compiled.set(source, template);
  }
  return template(context).replace(/\s+/g, ' ').trim();
}

export function renderDefault(name: TemplateName, context: TemplateContext): string {
  return renderTemplate(DEFAULT_TEMPLATES[name], context);
}
