import type { FastifyInstance } from 'fastify';
import type { Business } from '../../core/entities/index.js';
import {
  contextFor,
  InvalidTemplateError,
  loadTemplate,
  resetTemplate,
  saveTemplate,
  type EffectiveTemplate,
} from '../../core/messaging/business-templates.js';
import { MAX_TEMPLATE_LENGTH, validateTemplate, type TemplateProblem } from '../../core/messaging/template-validation.js';
import { renderTemplate, TEMPLATE_KINDS, TEMPLATE_VARIABLES, type TemplateName } from '../../core/messaging/templates.js';
import { ApiError, errorResponseSchema } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import { businessIdParams, findBusinessOr404 } from './hours-schemas.js';
import { describeSms, smsPreviewSchema } from './sms-preview.js';

type KindParams = { id: string; kind: TemplateName };

const kindParams = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' }, kind: { type: 'string', enum: TEMPLATE_KINDS } },
  required: ['id', 'kind'],
} as const;

const templateSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: TEMPLATE_KINDS },
    body: { type: 'string', description: 'Handlebars source.' },
    source: { type: 'string', enum: ['business', 'default'], description: "`business`: the business's own; `default`: the built-in one." },
    updated_at: { type: ['string', 'null'], format: 'date-time' },
    variables: { type: 'array', items: { type: 'string' }, description: 'The variables a template may use.' },
  },
  required: ['kind', 'body', 'source', 'updated_at', 'variables'],
} as const;

const bodySchema = { type: 'string', minLength: 1, maxLength: MAX_TEMPLATE_LENGTH } as const;

/** The wording of each kind of text per business: read, replace (validated), reset, preview. */
export async function registerTemplateRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/businesses/:id/templates',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: 'Every kind of text with the wording this business uses for it.',
        params: businessIdParams,
        response: { 200: { type: 'array', items: templateSchema }, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const templates = await Promise.all(TEMPLATE_KINDS.map((kind) => loadTemplate(request.em, business.id, kind)));
      return templates.map(toApiTemplate);
    },
  );

  app.get<{ Params: KindParams }>(
    '/businesses/:id/templates/:kind',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: "One kind of text: the business's own template, or the default.",
        params: kindParams,
        response: { 200: templateSchema, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      return toApiTemplate(await loadTemplate(request.em, business.id, request.params.kind));
    },
  );

  app.put<{ Params: KindParams; Body: { body: string } }>(
    '/businesses/:id/templates/:kind',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: `Replaces the wording. Variables: ${TEMPLATE_VARIABLES.join(', ')}; blocks: {{#if}} / {{#unless}} on them. Refused with the problem named (codes unknown_variable, unbalanced_block, syntax_error, unsupported_expression, missing_required_text): e.g. the first text must name the business, say rates may apply and how to STOP.`,
        params: kindParams,
        body: { type: 'object', properties: { body: bodySchema }, required: ['body'], additionalProperties: false },
        response: { 200: templateSchema, 400: errorResponseSchema, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      try {
        return toApiTemplate(await saveTemplate(request.em, business.id, request.params.kind, request.body.body));
      } catch (err) {
        if (err instanceof InvalidTemplateError) throw templateError(err.problems);
        throw err;
      }
    },
  );

  app.delete<{ Params: KindParams }>(
    '/businesses/:id/templates/:kind',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({ description: 'Goes back to the default wording.', params: kindParams, response: { 404: errorResponseSchema } }),
    },
    async (request, reply) => {
      const business = await findBusinessOr404(request, request.params.id);
      if (!(await resetTemplate(request.em, business.id, request.params.kind))) {
        throw new ApiError(404, 'template_not_set', 'This business uses the default wording for this kind already.');
      }
      return reply.status(204).send();
    },
  );

  app.post<{ Params: KindParams; Body: { body?: string } }>(
    '/businesses/:id/templates/:kind/preview',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description:
          "The text as it would go out for this business: a draft `body` (validated, not stored) or, without one, the wording in use. With its encoding (GSM-7, or UCS-2 once any character is outside GSM 03.38, e.g. an emoji), its length in that encoding's units (septets: '€' takes 2) and the SMS segments it costs.",
        params: kindParams,
        body: { type: 'object', properties: { body: bodySchema }, additionalProperties: false },
        response: { 200: smsPreviewSchema, 400: errorResponseSchema, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const draft = request.body?.body;
      if (draft !== undefined) {
        const problems = validateTemplate(request.params.kind, draft);
        if (problems.length > 0) throw templateError(problems);
      }
      const template = draft ?? (await loadTemplate(request.em, business.id, request.params.kind)).body;
      return { kind: request.params.kind, source: draft === undefined ? 'stored' : 'draft', ...describeSms(render(template, business)) };
    },
  );
}

function render(template: string, business: Business): string {
  return renderTemplate(template, contextFor(business));
}

/** 400 with the first problem's code and every problem in the message (as the hours routes do). */
function templateError(problems: TemplateProblem[]): ApiError {
  return new ApiError(400, problems[0]?.code ?? 'invalid_template', problems.map((problem) => problem.message).join('; '));
}

function toApiTemplate(template: EffectiveTemplate) {
  return {
    kind: template.kind,
    body: template.body,
    source: template.source,
    updated_at: template.updatedAt?.toISOString() ?? null,
    variables: [...TEMPLATE_VARIABLES],
  };
}
