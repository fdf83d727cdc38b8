import path from 'node:path';
import type { Logger } from '../logging.js';
import { loadPromptCatalog, type PromptCatalog } from './prompt-catalog.js';

/** Which prompts a business's callers hear: a language, and its own set (its name is in the disclosure). */
export interface PromptProfile {
  language: string;
  /** A folder below sounds/<language>/ made by generate-prompts.sh for this business; null: the default set. */
  promptSet: string | null;
  businessName?: string;
}

/**
 * Every business's prompts, by language and prompt set, as Asterisk holds them:
 * `<root>/<language>/[<set>/]MANIFEST.json`, played as `sound:[<set>/]mcr-...`
 * in that language. A business whose set is missing falls back to the default
 * set (logged), so a misconfiguration never leaves a caller in silence.
 */
export class PromptLibrary {
  private readonly catalogs = new Map<string, Promise<PromptCatalog>>();
  private readonly warned = new Set<string>();
  private defaultCatalog: PromptCatalog | null = null;

  constructor(
    private readonly root: string,
    private readonly soundPrefix: string,
    private readonly logger: Logger,
    private readonly defaultProfile: PromptProfile = { language: 'en', promptSet: null },
  ) {}

  /** Loads the default set; a start-up error when it is missing or incomplete. */
  async load(): Promise<PromptCatalog> {
    this.defaultCatalog = await this.catalog(this.defaultProfile);
    return this.defaultCatalog;
  }

  async forProfile(profile: PromptProfile | null): Promise<PromptCatalog> {
    const fallback = this.defaultCatalog ?? (await this.load());
    if (!profile) return fallback;
    let catalog: PromptCatalog;
    try {
      catalog = await this.catalog(profile);
    } catch (err) {
      this.warnOnce(`missing:${key(profile)}`, { err: (err as Error).message, profile }, 'prompt set missing; using the default prompts');
      return fallback;
    }
    if (profile.businessName && catalog.business !== profile.businessName) {
      this.warnOnce(
        `name:${key(profile)}`,
        { spoken: catalog.business, business: profile.businessName },
        'the prompts name another business: regenerate them with dialplan/prompts/generate-prompts.sh',
      );
    }
    return catalog;
  }

  private catalog(profile: PromptProfile): Promise<PromptCatalog> {
    const id = key(profile);
    let catalog = this.catalogs.get(id);
    if (!catalog) {
      const dir = profile.promptSet ? path.join(this.root, profile.language, profile.promptSet) : path.join(this.root, profile.language);
      const prefix = profile.promptSet ? `${this.soundPrefix}${profile.promptSet}/` : this.soundPrefix;
      catalog = loadPromptCatalog(dir, prefix);
      // A failed load is retried next time (the admin may copy the files in meanwhile).
      catalog.catch(() => this.catalogs.delete(id));
      this.catalogs.set(id, catalog);
    }
    return catalog;
  }

  private warnOnce(id: string, fields: Record<string, unknown>, message: string): void {
    if (this.warned.has(id)) return;
    this.warned.add(id);
    this.logger.warn(fields, message);
  }
}

function key(profile: PromptProfile): string {
  return `${profile.language}/${profile.promptSet ?? ''}`;
}
