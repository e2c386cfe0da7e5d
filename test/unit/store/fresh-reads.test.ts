import { describe, expect, it } from 'vitest';
import { freshReads } from '#shared/store/fresh-reads.ts';

/** A read that answers when told to, recording each read's key and the number it answers. */
function heldReads() {
  const reads: { key: string; answer: (value: number) => void; fail: (error: Error) => void }[] = [];
  let begun = 0;
  const read = (key: string) =>
    new Promise<number>((resolve, reject) => {
      begun += 1;
      reads.push({ key, answer: resolve, fail: reject });
    });
  const next = async () => {
    for (let i = 0; i < 50 && reads.length === 0; i++) await Promise.resolve();
    const found = reads.shift();
    if (!found) throw new Error('no read was made');
    return found;
  };
  return { read, next, begun: () => begun };
}

describe('reads shared by those who ask while one is under way', () => {
  it('answers those who asked during a read with the next read, never with the one begun before they asked', async () => {
    const { read, next, begun } = heldReads();
    const ask = freshReads(read);
    const first = ask('o1');
    const meanwhile = [ask('o1'), ask('o1'), ask('o1')];
    (await next()).answer(1);
    expect(await first).toBe(1);
    // The three asked after the first read began: one more read, begun after them, answers all three.
    (await next()).answer(2);
    expect(await Promise.all(meanwhile)).toEqual([2, 2, 2]);
    expect(begun()).toBe(2);
  });

  it('reads each key on its own, and reads again for someone who asks once the last read is over', async () => {
    const { read, next, begun } = heldReads();
    const ask = freshReads(read);
    const a = ask('o1');
    const b = ask('o2');
    const [readA, readB] = [await next(), await next()];
    expect([readA.key, readB.key]).toEqual(['o1', 'o2']);
    readA.answer(10);
    readB.answer(20);
    expect([await a, await b]).toEqual([10, 20]);
    const later = ask('o1');
    (await next()).answer(11);
    expect(await later).toBe(11);
    expect(begun()).toBe(3);
  });

  it('fails those a read failed for, and serves the next ones', async () => {
    const { read, next } = heldReads();
    const ask = freshReads(read);
    const failing = ask('o1');
    const waiting = ask('o1');
    const failed = expect(failing).rejects.toThrow('unavailable');
    (await next()).fail(new Error('unavailable'));
    await failed;
    (await next()).answer(3);
    expect(await waiting).toBe(3);
  });
});
