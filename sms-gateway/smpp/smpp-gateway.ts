import type { SmppConnectionConfig, SmppRouteConfig } from '../../core/config/smpp-settings.js';
import type { Logger } from '../../core/logging.js';
import type { ReceivedDeliverSm } from '../inbound/inbound-journal.js';
import type { OutboundSms, SmsTransport, SubmitOutcome, TransportState, WriteGuard } from '../sms-transport.js';
import { SmppConnection, type SmppTuning } from './smpp-connection.js';
import { routeFor } from './smpp-routes.js';

export interface SmppGatewayOptions {
  /** The default connection first. */
  connections: SmppConnectionConfig[];
  routes: SmppRouteConfig[];
  logger: Logger;
  /** Must save the PDU durably; deliver_sm_resp is sent only after it resolves. */
  onDeliver: (pdu: ReceivedDeliverSm) => Promise<void>;
  tuning?: SmppTuning;
}

/**
 * Every SMSC connection this instance keeps, and the rule that picks one for
 * each text (SMPP_ROUTES by sender id or business, else the default). Receipts
 * and replies from any of them go to the same journal.
 */
export class SmppGateway implements SmsTransport {
  readonly connections: ReadonlyMap<string, SmppConnection>;
  private readonly defaultConnection: SmppConnection;

  constructor(private readonly options: SmppGatewayOptions) {
    if (options.connections.length === 0) throw new Error('SmppGateway needs at least one connection');
    this.connections = new Map(
      options.connections.map((config) => [
        config.name,
        new SmppConnection({ config, logger: options.logger, onDeliver: options.onDeliver, tuning: options.tuning }),
      ]),
    );
    this.defaultConnection = this.connections.get(options.connections[0]!.name)!;
  }

  get state(): TransportState {
    const states = [...this.connections.values()].map((c) => c.state);
    if (states.every((s) => s === 'bound')) return 'bound';
    if (states.includes('closing')) return 'closing';
    if (states.some((s) => s !== 'disconnected')) return 'connecting';
    return 'disconnected';
  }

  get ready(): boolean {
    return [...this.connections.values()].some((c) => c.ready);
  }

  get capacity(): number {
    return [...this.connections.values()].reduce((sum, c) => sum + c.window, 0);
  }

  connection(name: string): SmppConnection | undefined {
    return this.connections.get(name);
  }

  /** The connection a text goes out on. */
  route(sms: Pick<OutboundSms, 'from' | 'businessId'>): SmppConnection {
    const name = routeFor(this.options.routes, sms);
    return (name && this.connections.get(name)) || this.defaultConnection;
  }

  submit(sms: OutboundSms, guard?: WriteGuard): Promise<SubmitOutcome> {
    return this.route(sms).submit(sms, guard);
  }

  start(): void {
    for (const connection of this.connections.values()) connection.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.stop()));
  }
}
