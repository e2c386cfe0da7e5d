import { describe, expect, it } from 'vitest';
import { sharedSlotClaims, type ClaimSlots } from '#shared/mail/shared-slot-claims.ts';

/** A claim that answers when told to, recording what each claim asked for. */
function heldClaims() {
  const asked: number[] = [];
  const pending: { wanted: number; answer: (times: number[]) => void; fail: (error: Error) => void }[] = [];
  const claim: ClaimSlots = (_priority, wanted) =>
    new Promise<number[]>((resolve, reject) => {
      asked.push(wanted);
      pending.push({ wanted, answer: resolve, fail: reject });
    });
  const nextClaim = async () => {
    for (let i = 0; i < 50 && pending.length === 0; i++) await Promise.resolve();
    const found = pending.shift();
    if (!found) throw new Error('no claim was made');
    return found;
  };
  return { claim, asked, nextClaim };
}

describe('slot claims shared by the senders of one container', () => {
  it('asks for every send that waits while a claim is under way in the next claim, and gives each one slot', async () => {
    const { claim, asked, nextClaim } = heldClaims();
    const take = sharedSlotClaims('bulk', {}, claim);
    const first = take();
    const rest = Array.from({ length: 9 }, () => take());
    (await nextClaim()).answer([1000]);
    expect(await first).toBe(1000);
    (await nextClaim()).answer([1010, 1020, 1030, 1040, 1050, 1060, 1070, 1080, 1090]);
    expect(await Promise.all(rest)).toEqual([1010, 1020, 1030, 1040, 1050, 1060, 1070, 1080, 1090]);
    expect(asked).toEqual([1, 9]);
  });

  it("keeps the sends a claim had no slot for first in line for the next, and gives no slot twice", async () => {
    const { claim, asked, nextClaim } = heldClaims();
    const take = sharedSlotClaims('bulk', {}, claim);
    const sends = Array.from({ length: 4 }, () => take());
    (await nextClaim()).answer([10]);
    const later = take();
    // The window had two slots left for the three waiting: the oldest two get them.
    (await nextClaim()).answer([20, 30]);
    (await nextClaim()).answer([40, 50]);
    expect(await Promise.all([...sends, later])).toEqual([10, 20, 30, 40, 50]);
    expect(asked).toEqual([1, 4, 2]);
  });

  it('fails the sends of a claim that failed, and serves those that waited for the next', async () => {
    const { claim, asked, nextClaim } = heldClaims();
    const take = sharedSlotClaims('bulk', {}, claim);
    const failing = take();
    const waiting = [take(), take()];
    const failed = expect(failing).rejects.toThrow('throttled');
    (await nextClaim()).fail(new Error('throttled'));
    await failed;
    (await nextClaim()).answer([70, 80]);
    expect(await Promise.all(waiting)).toEqual([70, 80]);
    expect(asked).toEqual([1, 2]);
  });

  it('fails rather than waits for ever on a claim that answers no slot', async () => {
    const { claim, nextClaim } = heldClaims();
    const take = sharedSlotClaims('bulk', {}, claim);
    const send = take();
    (await nextClaim()).answer([]);
    await expect(send).rejects.toThrow(/no slot/);
  });
});
