import type { PduOptions } from 'smpp';
import type { SessionState } from './sessions.js';
import type { DeliverResponse, DeliveryKind } from './types.js';

/**
 * deliver_sm the fake owes the ESME (mobile-originated messages and receipts).
 * Like a real SMSC it keeps each one until an ESME answers it: with nobody bound
 * it waits for a receiver; when a session closes before answering, the next bound
 * receiver gets it again.
 */
export interface DeliveryRequest {
  kind: DeliveryKind;
  messageId?: string;
  /** Send to every bound receiver (MO) instead of one (receipts). */
  fanOut: boolean;
  /** Session to try first (the one that submitted, for receipts). */
  preferredSessionId?: number;
  /** Fresh deliver_sm options for each attempt (the library mutates what it sends). */
  build(): PduOptions;
  /** null: wait for ever (until the fake closes). */
  timeoutMs: number | null;
}

interface Delivery extends DeliveryRequest {
  inFlight: Set<number>;
  done: boolean;
  resolve(status: number): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

export interface DeliveryQueueDeps {
  /** Sessions bound as receiver or transceiver, in bind order. */
  receivers(): SessionState[];
  recordResponse(response: DeliverResponse): void;
}

export interface DeliveryQueue {
  deliver(request: DeliveryRequest): Promise<number>;
  /** A receiver bound: hand it everything nobody is holding. */
  onReceiverBound(state: SessionState): void;
  /** A session closed (already out of `receivers()`): what it had not answered goes to
   * another receiver, or back to the queue. */
  onSessionClosed(sessionId: number): void;
  /** Rejects everything outstanding. */
  closeAll(error: Error): void;
}

export function createDeliveryQueue(deps: DeliveryQueueDeps): DeliveryQueue {
  const active = new Set<Delivery>();

  const finish = (delivery: Delivery): void => {
    delivery.done = true;
    active.delete(delivery);
    if (delivery.timer) clearTimeout(delivery.timer);
  };

  const sendTo = (delivery: Delivery, state: SessionState): void => {
    const sent = state.session.deliver_sm(delivery.build(), (resp) => {
      delivery.inFlight.delete(state.id);
      deps.recordResponse({
        kind: delivery.kind,
        ...(delivery.messageId === undefined ? {} : { messageId: delivery.messageId }),
        status: resp.command_status,
        sessionId: state.id,
        at: new Date(),
      });
      if (!delivery.done) {
        finish(delivery);
        delivery.resolve(resp.command_status);
      }
    });
    if (sent) delivery.inFlight.add(state.id);
  };

  const dispatch = (delivery: Delivery): void => {
    const receivers = deps.receivers();
    if (receivers.length === 0) return;
    if (delivery.fanOut) {
      for (const state of receivers) sendTo(delivery, state);
      return;
    }
    const preferred = receivers.find((s) => s.id === delivery.preferredSessionId);
    sendTo(delivery, preferred ?? receivers[0]!);
  };

  return {
    deliver(request) {
      return new Promise<number>((resolve, reject) => {
        const delivery: Delivery = { ...request, inFlight: new Set(), done: false, resolve, reject };
        active.add(delivery);
        if (request.timeoutMs !== null) {
          const ms = request.timeoutMs;
          delivery.timer = setTimeout(() => {
            finish(delivery);
            reject(new Error(`fake SMSC: no deliver_sm_resp for the ${request.kind} within ${ms} ms`));
          }, ms);
        }
        dispatch(delivery);
      });
    },
    onReceiverBound(state) {
      for (const delivery of [...active]) {
        if (!delivery.done && delivery.inFlight.size === 0) sendTo(delivery, state);
      }
    },
    onSessionClosed(sessionId) {
      for (const delivery of [...active]) {
        if (!delivery.inFlight.delete(sessionId)) continue;
        if (!delivery.done && delivery.inFlight.size === 0) dispatch(delivery);
      }
    },
    closeAll(error) {
      for (const delivery of [...active]) {
        finish(delivery);
        delivery.reject(error);
      }
    },
  };
}
