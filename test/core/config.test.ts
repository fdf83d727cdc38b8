import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '../../core/config/load-config.js';

describe('configuration', () => {
  it('when nothing is set, then it runs embedded with safe defaults and the call and SMS sides off', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ dataDir: './data', roles: ['ari', 'sms', 'admin'], admin: { host: '127.0.0.1', port: 3000 } });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.ari).toBeUndefined();
    expect(config.smpp).toBeUndefined();
  });

  it('when several settings are wrong, then every problem is reported at once', () => {
    let error: unknown;
    try {
      loadConfig({ ADMIN_PORT: '70000', DATABASE_URL: 'mysql://x', ARI_URL: 'http://pbx:8088', ROLES: 'ari,fax', ADMIN_API_KEY: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['ADMIN_PORT', 'DATABASE_URL', 'ARI_PASSWORD', 'ROLES', 'ADMIN_API_KEY']) expect(problems).toContain(name);
  });

  it('when the ARI and SMPP settings are given, then they are parsed', () => {
    const config = loadConfig({ ARI_URL: 'http://pbx:8088', ARI_PASSWORD: 'p', SMPP_URL: 'smpp://id:pw@smsc:2775', ARI_APP: 'mcr-test' });
    expect(config.ari).toEqual({ url: 'http://pbx:8088', username: 'missed-call-recovery', password: 'p', app: 'mcr-test' });
    expect(config.smpp?.url).toBe('smpp://id:pw@smsc:2775');
  });

  it('when a URL carries a password, then the redacted form hides it', () => {
    expect(redactUrl('postgres://u:secret@db:5432/x')).not.toContain('secret');
  });
});
