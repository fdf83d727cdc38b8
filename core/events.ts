import { EventEmitter } from 'node:events';

/**
 * What happened, as the parts announce it: the demo's timeline, logs and (in
 * later parts) webhooks and live pages listen here. Payloads carry ids, never
 * message bodies.
 */
export interface DomainEvents {
  'call.missed': { channelId: string; reason: string; at: number };
  'ivr.answered': { channelId: string; at: number };
  'ivr.finished': { channelId: string; choice: string; at: number };
  'consent.recorded': { channelId: string; consentRecordId: string; recordingSha256: string | null; at: number };
  'callback.created': { channelId?: string; callbackTaskId: string; reason: string; at: number };
  'call.screened': { channelId: string; reason: string; at: number };
  'call.recorded': { channelId: string; callId: string; outcome: string; at: number };
  'sms.submitted': { outboxId: string; to: string; kind: string; at: number };
  'sms.received': { inboundId: string; from: string; effect: string; at: number };
  'optout.recorded': { inboundId: string; from: string; at: number };
}

export class DomainEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Many observers (demo, tests, webhooks) may listen; none of them is a leak.
    this.emitter.setMaxListeners(100);
  }

  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
