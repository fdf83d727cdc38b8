import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config/load-config.js';
import { routeFor } from '../../sms-gateway/smpp/smpp-routes.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return '';
}

describe('SMPP connections and routes in the configuration', () => {
  it('when only SMPP_URL is set, then there is one transceiver connection named default with the default window and rate', () => {
    const { smpp } = loadConfig({ SMPP_URL: 'smpp://id:pw@smsc:2775' });
    expect(smpp).toMatchObject({ url: 'smpp://id:pw@smsc:2775', routes: [] });
    expect(smpp?.connections).toEqual([
      {
        name: 'default',
        url: 'smpp://id:pw@smsc:2775',
        bind: 'transceiver',
        window: 10,
        maxPerSecond: 20,
        concatenation: 'udh',
        systemType: '',
      },
    ]);
  });

  it('when more connections, routes and per-connection parameters are given, then each connection gets its own settings', () => {
    const { smpp } = loadConfig({
      SMPP_URL: 'smpp://id:pw@smsc:2775',
      SMPP_URLS: 'eu=ssmpp://eu%40x:p%3Bw@eu.example:3550?bind=split&window=4&rate=5&concat=sar&system_type=VMA; us2 = smpp://u:p@us2:2775',
      SMPP_ROUTES: 'sender:+4420*=eu, business:3f2c0000-0000-4000-8000-000000000001=us2; sender:ACME=eu',
      SMPP_WINDOW: '20',
      SMPP_MAX_PER_SECOND: '0',
      SMPP_BIND: 'split',
    });
    expect(smpp?.connections.map((c) => c.name)).toEqual(['default', 'eu', 'us2']);
    expect(smpp?.connections[0]).toMatchObject({ bind: 'split', window: 20, maxPerSecond: 0, concatenation: 'udh' });
    expect(smpp?.connections[1]).toEqual({
      name: 'eu',
      url: 'ssmpp://eu%40x:p%3Bw@eu.example:3550',
      bind: 'split',
      window: 4,
      maxPerSecond: 5,
      concatenation: 'sar',
      systemType: 'VMA',
    });
    expect(smpp?.routes).toEqual([
      { match: 'sender', value: '+4420*', connection: 'eu' },
      { match: 'business', value: '3f2c0000-0000-4000-8000-000000000001', connection: 'us2' },
      { match: 'sender', value: 'ACME', connection: 'eu' },
    ]);
    const routes = smpp!.routes;
    expect(routeFor(routes, { from: '+442079460000' })).toBe('eu');
    expect(routeFor(routes, { from: 'ACME' })).toBe('eu');
    expect(routeFor(routes, { from: 'ACMEX' })).toBeNull();
    expect(routeFor(routes, { from: '+14155550100', businessId: '3f2c0000-0000-4000-8000-000000000001' })).toBe('us2');
    expect(routeFor(routes, { from: '+14155550100' })).toBeNull();
  });

  it('when only SMPP_URLS is set, then its first connection is the default one', () => {
    const { smpp } = loadConfig({ SMPP_URLS: 'a=smpp://x:y@a:2775;b=smpp://x:y@b:2775' });
    expect(smpp?.url).toBe('smpp://x:y@a:2775');
    expect(smpp?.connections.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('when SMPP settings are wrong, then every problem is reported at once', () => {
    const problems = problemsOf({
      SMPP_URL: 'smpp://id:pw@smsc:2775?window=0&speed=3',
      SMPP_URLS: 'nameless;default=smpp://a:b@c:1;x=http://a:b@c:1;y=smpp://a:b@c:1?bind=both',
      SMPP_ROUTES: 'sender:+1=nowhere, to:+1=y',
      SMPP_WINDOW: 'ten',
      SMPP_CONCATENATION: 'udp',
    });
    expect(problems).toContain('SMPP_URL: window must be a whole number from 1 to 1000');
    expect(problems).toContain('SMPP_URL: unknown parameter(s) speed');
    expect(problems).toMatch(/SMPP_URLS: nameless: write each connection as name=smpp/);
    expect(problems).toMatch(/SMPP_URLS: default: the name is used twice/);
    expect(problems).toMatch(/SMPP_URLS: x: scheme must be smpp/);
    expect(problems).toMatch(/SMPP_URLS: y: bind must be transceiver or split/);
    expect(problems).toMatch(/SMPP_ROUTES: "sender:\+1=nowhere" names a connection/);
    expect(problems).toMatch(/SMPP_ROUTES: "to:\+1=y" is not/);
    expect(problems).toContain('SMPP_WINDOW: must be a whole number');
    expect(problems).toContain('SMPP_CONCATENATION: one of udh, sar');
  });

  it('when routes are set without any SMSC, then that is a problem rather than a silent no-op', () => {
    expect(problemsOf({ SMPP_ROUTES: 'sender:ACME=eu' })).toMatch(/SMPP_ROUTES/);
  });
});
