import type AsteriskManager from 'asterisk-manager';

/**
 * Work-arounds for asterisk-manager 0.2.x, kept in one place so they can go when
 * the library mends them (types/asterisk-manager.d.ts describes its behaviour).
 */

type Listener = (message: AsteriskManager.AmiMessage) => void;

/** Headers the library calls string methods on without checking they are strings. */
const NAME_HEADERS = ['event', 'userevent', 'response', 'actionid'] as const;

/**
 * The library parses inside the socket's 'data' handler and calls
 * `event.userevent.toLowerCase()`; a message that repeats the UserEvent header
 * (the parser then makes it an array) throws there, out of the socket, and kills
 * the process. This swaps the library's own 'rawevent' handler for one that
 * keeps the first of repeated name headers and never lets a throw escape.
 */
export function guardRawEvents(manager: AsteriskManager.ManagerInstance, onBadMessage: (err: unknown) => void): void {
  const originals = manager.listeners('rawevent') as Listener[];
  for (const original of originals) manager.removeListener('rawevent', original);
  manager.on('rawevent', (message: AsteriskManager.AmiMessage) => {
    const safe: Record<string, AsteriskManager.AmiValue | undefined> = { ...message };
    for (const name of NAME_HEADERS) {
      const value = safe[name];
      if (Array.isArray(value)) safe[name] = value[0] ?? '';
      else if (value !== undefined && typeof value !== 'string') safe[name] = '';
    }
    for (const original of originals) {
      try {
        original(safe);
      } catch (err) {
        onBadMessage(err);
      }
    }
  });
}
