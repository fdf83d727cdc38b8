import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logging.js';
import { DurableSpool } from '../../core/spool/durable-spool.js';

interface Item {
  id: string;
  at: Date;
}

describe('durable spool', () => {
  it('when the store fails, then items stay on disk in order and a later flush (even by a new process) stores them once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mcr-spool-'));
    let up = false;
    const stored: Item[] = [];
    const store = async (item: Item) => {
      if (!up) throw new Error('database unavailable');
      stored.push(item);
    };
    const first = new DurableSpool<Item>(dir, store, silentLogger(), 60_000);
    await first.put({ id: 'a', at: new Date('2026-11-21T10:00:00.000Z') });
    await first.put({ id: 'b', at: new Date('2026-11-21T10:00:01.000Z') });
    expect(await first.flush()).toBe(0);
    expect(await first.pending()).toHaveLength(2);
    await first.stop();

    // A crash mid-write leaves only a temp file, which is never read as an item.
    await writeFile(path.join(dir, '.torn.json.tmp'), '{"id":');
    up = true;
    const second = new DurableSpool<Item>(dir, store, silentLogger(), 60_000);
    expect(await second.flush()).toBe(2);
    expect(stored.map((i) => i.id)).toEqual(['a', 'b']);
    expect(stored[0]!.at).toBeInstanceOf(Date);
    expect(await second.pending()).toEqual([]);
    expect(await second.flush()).toBe(0);
    await second.stop();
  });

  it('when an item is unreadable, then it is set aside and the rest still flows', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mcr-spool-'));
    await writeFile(path.join(dir, '000000000000001-bad.json'), 'not json');
    const stored: Item[] = [];
    const spool = new DurableSpool<Item>(dir, async (item) => void stored.push(item), silentLogger(), 60_000);
    await spool.put({ id: 'c', at: new Date() });
    expect(await spool.flush()).toBe(1);
    expect((await readdir(dir)).some((f) => f.endsWith('.unreadable'))).toBe(true);
    await spool.stop();
  });
});
