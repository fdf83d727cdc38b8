import { parseSmppUrl } from '../sms-gateway/smpp/smpp-transceiver.js';
import { createFakeSmsc } from '../test/fakes/smsc/index.js';

/**
 * `mcr fake-smsc`: the test suite's fake SMSC as a standalone server, for the
 * docker-compose stack and for trying the product without a carrier. It
 * accepts binds with the credentials in SMPP_URL, answers every text with a
 * delivery receipt, and logs what it receives. Never point production at it.
 */
export async function runFakeSmsc(smppUrl: string | undefined): Promise<number> {
  const endpoint = parseSmppUrl(smppUrl ?? 'smpp://mcr:secret@127.0.0.1:2775');
  const smsc = await createFakeSmsc({ host: endpoint.host, port: endpoint.port, systemId: endpoint.systemId, password: endpoint.password });
  smsc.on('submit', (message) =>
    console.log(JSON.stringify({ event: 'submit_sm', to: message.to, from: message.from, id: message.messageId, text: message.text })),
  );
  smsc.on('bind', (bound) => console.log(JSON.stringify({ event: 'bind', system_id: bound.systemId, mode: bound.mode })));
  console.log(`fake SMSC listening on ${endpoint.host}:${smsc.port} (system_id ${endpoint.systemId})`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await smsc.close();
  return 0;
}
