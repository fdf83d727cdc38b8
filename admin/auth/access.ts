import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

/**
 * What a caller of the admin API may do. API keys carry these as scopes
 * (`admin` grants all); logged-in staff get them from their role. Every /api
 * route names the one it needs in `config.permission`; a route that names none
 * is for `admin` only (deny by default).
 */
export const PERMISSIONS = [
  'callbacks:read',
  'callbacks:write',
  'conversations:read',
  'conversations:write',
  'calls:read',
  'leads:read',
  'consents:read',
  'messages:read',
  /** See what texts said (outbox bodies); without it bodies are redacted. */
  'message_bodies',
  'bookings:read',
  'bookings:write',
  'settings:read',
  'settings:write',
  'metrics:read',
  'webhooks:manage',
  'users:manage',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The scope that grants every permission. */
export const ADMIN_SCOPE = 'admin';

/** Who is asking: an integrator's API key or a logged-in staff member. */
export interface Principal {
  kind: 'api_key' | 'session';
  /** The key's or the staff member's id (the audit log's "who"). */
  id: string;
  name: string;
  permissions: ReadonlySet<Permission>;
  /** The businesses it may see; null: every business. */
  businessIds: readonly string[] | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs (admin/auth/access.ts); absent: admin only. */
    permission?: Permission;
  }
}

export function permissionsFromScopes(scopes: readonly string[]): Set<Permission> {
  if (scopes.includes(ADMIN_SCOPE)) return new Set(PERMISSIONS);
  return new Set(PERMISSIONS.filter((p) => scopes.includes(p)));
}

export function hasPermission(request: FastifyRequest, permission: Permission): boolean {
  return request.principal?.permissions.has(permission) ?? false;
}

/** The route's own permission check, run for every /api route after authentication. */
export function assertRoutePermission(request: FastifyRequest): void {
  const needed = request.routeOptions.config.permission;
  const principal = request.principal;
  if (!principal) throw new ApiError(401, 'unauthenticated', 'Log in or send an API key.');
  const allowed = needed ? principal.permissions.has(needed) : principal.permissions.size === PERMISSIONS.length;
  if (!allowed) throw new ApiError(403, 'forbidden', `This needs the ${needed ?? ADMIN_SCOPE} permission.`);
}

/** The businesses this request may see, for list filters: null means every business. */
export function visibleBusinessIds(request: FastifyRequest): readonly string[] | null {
  const principal = request.principal;
  return principal ? principal.businessIds : [];
}

/**
 * Throws the same 404 a missing business gets when the caller may not see this
 * one (so ids of other businesses cannot be probed).
 */
export function assertBusinessVisible(request: FastifyRequest, businessId: string): void {
  const visible = visibleBusinessIds(request);
  if (visible !== null && !visible.includes(businessId)) {
    throw new ApiError(404, 'business_not_found', 'No business has this id.');
  }
}

/**
 * A where-clause fragment limiting a list to the visible businesses (and to
 * `requested` when the client filtered by one).
 */
export function businessFilter(request: FastifyRequest, requested?: string): { businessId?: string | { $in: string[] } } {
  if (requested) {
    assertBusinessVisible(request, requested);
    return { businessId: requested };
  }
  const visible = visibleBusinessIds(request);
  return visible === null ? {} : { businessId: { $in: [...visible] } };
}
