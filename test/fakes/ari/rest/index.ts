// All REST handlers, checked against the description at start-up: every
// described operation must have a handler and every handler an operation.
import type { Route } from '../router.js';
import { applicationHandlers } from './applications.js';
import { asteriskHandlers } from './asterisk.js';
import { channelHandlers } from './channels.js';
import { eventHandlers } from './events.js';
import type { OperationHandlers, RestDeps } from './handler-types.js';
import { playbackHandlers } from './playbacks.js';
import { recordingHandlers } from './recordings.js';

export type { HandlerResult, OperationHandler, OperationHandlers, RestDeps } from './handler-types.js';

export function createRestHandlers(deps: RestDeps, routes: Route[]): OperationHandlers {
  const handlers: OperationHandlers = {
    ...asteriskHandlers(deps),
    ...applicationHandlers(deps),
    ...channelHandlers(deps),
    ...playbackHandlers(deps),
    ...recordingHandlers(deps),
    ...eventHandlers(),
  };
  const described = new Set(routes.map((route) => route.key));
  const missing = [...described].filter((key) => !Object.hasOwn(handlers, key));
  const undescribed = Object.keys(handlers).filter((key) => !described.has(key));
  if (missing.length > 0 || undescribed.length > 0) {
    throw new Error(`fake ARI handlers out of step with its description: missing ${missing.join(', ') || '-'}; undescribed ${undescribed.join(', ') || '-'}`);
  }
  return handlers;
}
