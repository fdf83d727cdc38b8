/**
 * Each business's own wording, stored per kind of text; a kind it has not
 * worded uses the default. Every text the product renders comes through
 * `renderBusinessText`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { MessageTemplate, type Business } from '../entities/index.js';
import { validateTemplate, type TemplateProblem } from './template-validation.js';
import { DEFAULT_TEMPLATES, renderTemplate, type TemplateContext, type TemplateName } from './templates.js';

export interface EffectiveTemplate {
  kind: TemplateName;
  body: string;
  /** `business`: its own wording; `default`: the built-in one. */
  source: 'business' | 'default';
  updatedAt: Date | null;
}

/** The template is not stored: each problem names what is wrong. */
export class InvalidTemplateError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'InvalidTemplateError';
  }
}

export async function loadTemplate(em: EntityManager, businessId: string, kind: TemplateName): Promise<EffectiveTemplate> {
  const own = await em.findOne(MessageTemplate, { businessId, kind });
  if (own) return { kind, body: own.body, source: 'business', updatedAt: own.updatedAt };
  return { kind, body: DEFAULT_TEMPLATES[kind], source: 'default', updatedAt: null };
}

/** Validates and stores (replacing any earlier one); throws InvalidTemplateError. */
export async function saveTemplate(em: EntityManager, businessId: string, kind: TemplateName, body: string): Promise<EffectiveTemplate> {
  const problems = validateTemplate(kind, body);
  if (problems.length > 0) throw new InvalidTemplateError(problems);
  const updatedAt = new Date();
  await em.upsert(MessageTemplate, { businessId, kind, body, updatedAt });
  return { kind, body, source: 'business', updatedAt };
}

/** Back to the default wording; false when the business had none of its own. */
export async function resetTemplate(em: EntityManager, businessId: string, kind: TemplateName): Promise<boolean> {
  return (await em.nativeDelete(MessageTemplate, { businessId, kind })) > 0;
}

export function contextFor(business: Business): TemplateContext {
  return { business: { name: business.name, contactPhone: business.contactPhone ?? null } };
}

/** The text of one kind for a business: its own template, else the default. */
export async function renderBusinessText(em: EntityManager, business: Business, kind: TemplateName): Promise<string> {
  const template = await loadTemplate(em, business.id, kind);
  const context = contextFor(business);
  if (template.source === 'default') return renderTemplate(template.body, context);
  try {
    return renderTemplate(template.body, context);
  } catch {
    // Validated when saved, so this means a template stored by other means (or
    // a bug): the caller still gets a compliant text, in the default wording.
    return renderTemplate(DEFAULT_TEMPLATES[kind], context);
  }
}
