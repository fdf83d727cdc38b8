import type { FastifyInstance } from 'fastify';
import { routeSchema } from '../route-schema.js';

export type PartState = 'up' | 'down' | 'connecting' | 'off';

/** How each part is doing right now; `off` means not configured on this instance. */
export interface HealthProbe {
  database(): Promise<PartState>;
  ari(): PartState;
  /** The AMI listener for calls that never reach the app; `off` without AMI_URL or the ari role. */
  ami(): PartState;
  smpp(): PartState;
}

export async function registerHealthRoutes(app: FastifyInstance, probe: HealthProbe): Promise<void> {
  const partState = { type: 'string', enum: ['up', 'down', 'connecting', 'off'] } as const;
  const healthSchema = {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded'] },
      database: partState,
      ari: partState,
      ami: partState,
      smpp: partState,
    },
    required: ['status', 'database', 'ari', 'ami', 'smpp'],
  } as const;
  app.get(
    '/healthz',
    {
      schema: routeSchema({
        description: 'State of the database, the ARI and AMI connections and the SMPP bind. 503 when the database is down.',
        response: { 200: healthSchema, 503: healthSchema },
      }),
    },
    async (_request, reply) => {
      const database = await probe.database();
      const ari = probe.ari();
      const ami = probe.ami();
      const smpp = probe.smpp();
      const degraded = database !== 'up' || [ari, ami, smpp].some((s) => s === 'down' || s === 'connecting');
      // 200 while the process can serve (an unreachable SMSC is retried, not fatal);
      // the body says which part is not well, for monitoring to alert on.
      return reply.status(database === 'up' ? 200 : 503).send({ status: degraded ? 'degraded' : 'ok', database, ari, ami, smpp });
    },
  );
}
