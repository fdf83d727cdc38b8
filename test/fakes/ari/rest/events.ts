// /events is the WebSocket; a plain GET (no Upgrade header) lands here.
import { AriHttpError } from '../errors.js';
import type { OperationHandlers } from './handler-types.js';

export function eventHandlers(): OperationHandlers {
  return {
    'events.eventWebsocket': () => {
      throw new AriHttpError(426, 'WebSocket upgrade required');
    },
  };
}
