import type { FastifySchema } from 'fastify';

/** OpenAPI fields @fastify/swagger reads from a route schema, beside the validation parts. */
export interface DocumentedSchema extends FastifySchema {
  description?: string;
  summary?: string;
  tags?: readonly string[];
  hide?: boolean;
}

/** Lets a route schema carry its OpenAPI description without losing its validation types. */
export function routeSchema<T extends DocumentedSchema>(schema: T): T {
  return schema;
}
