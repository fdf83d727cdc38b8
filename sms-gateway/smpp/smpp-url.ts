/** Where to bind and as whom, read from `smpp://system_id:password@host:port` (`ssmpp://` for TLS). */
export interface SmppEndpoint {
  host: string;
  port: number;
  tls: boolean;
  systemId: string;
  password: string;
}

export function parseSmppUrl(url: string): SmppEndpoint {
  const parsed = new URL(url);
  const tls = parsed.protocol === 'ssmpp:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : tls ? 3550 : 2775,
    tls,
    systemId: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}
