import { describe, expect, it } from 'vitest';
import { readingAhead } from '#shared/store/reading-ahead.ts';

/** Pages 1..count, logging when each read starts and whether the source was closed. */
function pagesOf(count: number, failAt?: number) {
  const log: string[] = [];
  async function* pages(): AsyncGenerator<number> {
    try {
      for (let page = 1; page <= count; page++) {
        log.push(`read ${page}`);
        await Promise.resolve();
        if (page === failAt) throw new Error(`page ${page} failed`);
        yield page;
      }
    } finally {
      log.push('closed');
    }
  }
  return { pages: pages(), log };
}

describe('reading pages one ahead', () => {
  it('gives every page once, in order, with the next read started while the caller works on a page', async () => {
    const { pages, log } = pagesOf(3);
    const seen: number[] = [];
    for await (const page of readingAhead(pages)) {
      // The caller's work on this page: by now the next read is under way, and no further one.
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(page);
      log.push(`used ${page}`);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(log.indexOf('read 2')).toBeLessThan(log.indexOf('used 1'));
    expect(log.indexOf('read 3')).toBeGreaterThan(log.indexOf('used 1'));
    expect(log.indexOf('read 3')).toBeLessThan(log.indexOf('used 2'));
  });

  it('settles the read ahead and closes the source when the caller stops early', async () => {
    const { pages, log } = pagesOf(5);
    for await (const page of readingAhead(pages)) if (page === 2) break;
    expect(log).toContain('read 3');
    expect(log).not.toContain('read 4');
    expect(log.at(-1)).toBe('closed');
  });

  it('fails the loop at the page whose read failed, after the pages before it', async () => {
    const { pages } = pagesOf(4, 3);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of readingAhead(pages)) seen.push(page);
      })(),
    ).rejects.toThrow('page 3 failed');
    expect(seen).toEqual([1, 2]);
  });
});
