import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Business, BusinessDid } from '../entities/index.js';

export interface ResolvedBusiness {
  business: Business;
  leadSource: string | null;
}

/** Which business a dialled number belongs to; unmapped numbers go to the default business. */
export async function resolveBusinessByDid(em: EntityManager, did: string | null): Promise<ResolvedBusiness> {
  if (did) {
    const mapping = await em.findOne(BusinessDid, { did });
    if (mapping) {
      const business = await em.findOneOrFail(Business, { id: mapping.businessId });
      return { business, leadSource: mapping.leadSource ?? null };
    }
  }
  const fallback = await em.findOne(Business, { isDefault: true });
  if (!fallback) throw new Error('no business for this number and no default business: run `mcr start` once or add one');
  return { business: fallback, leadSource: null };
}

/** Makes sure a default business exists (named from BUSINESS_NAME) and returns it. */
export async function ensureDefaultBusiness(em: EntityManager, name: string): Promise<Business> {
  const existing = await em.findOne(Business, { isDefault: true });
  if (existing) return existing;
  const business = Object.assign(new Business(), { id: randomUUID(), name, isDefault: true, createdAt: new Date() });
  await em.persistAndFlush(business);
  return business;
}

/** Adds (or re-points) a DID to a business, with an optional lead-source tag. */
export async function mapDid(em: EntityManager, did: string, businessId: string, leadSource?: string): Promise<void> {
  await em.upsert(BusinessDid, { did, businessId, leadSource: leadSource ?? null });
}

/** The prompts callers of a dialled number hear: that business's language and prompt set. */
export async function promptProfileForDid(
  em: EntityManager,
  did: string | null,
): Promise<{ language: string; promptSet: string | null; businessName: string }> {
  const { business } = await resolveBusinessByDid(em, did);
  return { language: business.language, promptSet: business.promptSet ?? null, businessName: business.name };
}
