/** Where and as whom to log in to AMI. */
export interface AmiTarget {
  host: string;
  port: number;
  username: string;
  secret: string;
}

export const DEFAULT_AMI_PORT = 5038;

/**
 * Reads AMI_URL (`ami://user:secret@host:port`, `tcp://` too; port 5038 when
 * absent). User and secret may be percent-encoded. Throws without echoing the
 * URL: it carries the secret.
 */
export function parseAmiUrl(value: string): AmiTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('AMI_URL is not a valid URL (expected ami://user:secret@host:5038)');
  }
  if (url.protocol !== 'ami:' && url.protocol !== 'tcp:') throw new Error('AMI_URL must start with ami:// (or tcp://)');
  if (!url.hostname) throw new Error('AMI_URL has no host');
  if (!url.username) throw new Error('AMI_URL has no user (ami://user:secret@host:5038)');
  const port = url.port ? Number(url.port) : DEFAULT_AMI_PORT;
  // IPv6 literals come back bracketed from URL; net.connect wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, username: decodeURIComponent(url.username), secret: decodeURIComponent(url.password) };
}

/** The target as it may be logged: never the secret. */
export function describeAmiTarget(target: AmiTarget): { host: string; port: number; username: string } {
  return { host: target.host, port: target.port, username: target.username };
}
