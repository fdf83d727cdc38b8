import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsList } from '../../migrations/index.js';
import { packageRoot } from '../../core/paths.js';

describe('the migrations list', () => {
  it('when a migration file exists, then it is listed, and the list is in time order', async () => {
    const files = (await readdir(path.join(packageRoot(), 'migrations')))
      .filter((f) => /^Migration\d{14}\w*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    const names = migrationsList.map((m) => m.name);
    expect([...names].sort()).toEqual(names);
    expect([...files].sort()).toEqual([...names].sort());
  });
});
