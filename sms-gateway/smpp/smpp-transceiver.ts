import type { Logger } from '../../core/logging.js';
import type { ReceivedDeliverSm } from '../inbound/inbound-journal.js';
import type { OutboundSms, SmsTransport, SubmitOutcome, TransportState, WriteGuard } from '../sms-transport.js';
import { SmppConnection } from './smpp-connection.js';

export { parseSmppUrl, type SmppEndpoint } from './smpp-url.js';

export interface SmppTransceiverOptions {
  /** `smpp://system_id:password@host:port` (or `ssmpp://` for TLS). */
  url: string;
  logger: Logger;
  /** Must save the PDU durably; deliver_sm_resp is sent only after it resolves. */
  onDeliver: (pdu: ReceivedDeliverSm) => Promise<void>;
  systemType?: string;
  enquireLinkMs?: number;
  responseTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** submit_sm unanswered at once (default 10). */
  window?: number;
  /** submit_sm per second (default 0: no cap). */
  maxPerSecond?: number;
}

/**
 * One SMSC over a single transceiver bind: the simplest transport, for tools
 * and tests that need no routing. The app uses SmppGateway.
 */
export class SmppTransceiver implements SmsTransport {
  private readonly connection: SmppConnection;

  constructor(options: SmppTransceiverOptions) {
    this.connection = new SmppConnection({
      config: {
        name: 'default',
        url: options.url,
        bind: 'transceiver',
        window: options.window ?? 10,
        maxPerSecond: options.maxPerSecond ?? 0,
        concatenation: 'udh',
        systemType: options.systemType ?? '',
      },
      logger: options.logger,
      onDeliver: options.onDeliver,
      tuning: {
        enquireLinkMs: options.enquireLinkMs,
        responseTimeoutMs: options.responseTimeoutMs,
        initialBackoffMs: options.initialBackoffMs,
        maxBackoffMs: options.maxBackoffMs,
      },
    });
  }

  get state(): TransportState {
    return this.connection.state;
  }

  get ready(): boolean {
    return this.connection.ready;
  }

  get capacity(): number {
    return this.connection.window;
  }

  start(): void {
    this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  submit(sms: OutboundSms, guard?: WriteGuard): Promise<SubmitOutcome> {
    return this.connection.submit(sms, guard);
  }
}
