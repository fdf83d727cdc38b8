import type { SmppRouteConfig } from '../../core/config/smpp-settings.js';

/** The connection the first matching rule names (SMPP_ROUTES), or null for the default one. */
export function routeFor(routes: readonly SmppRouteConfig[], sms: { from: string; businessId?: string }): string | null {
  for (const route of routes) {
    const subject = route.match === 'sender' ? sms.from : sms.businessId;
    if (subject !== undefined && matches(route.value, subject)) return route.connection;
  }
  return null;
}

function matches(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}
