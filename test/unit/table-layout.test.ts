import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockCodec, campaignCodec, endorsementCodec, MalformedItemError, outreachCodec, signatureCodec, subscriberCodec, tokenCodec } from '#shared/store/items.ts';
import { indexEntries, keys, parse, partitions, relistedSortKey } from '#shared/store/layout.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const layoutFile = path.join('shared', 'store', 'layout.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

describe('the single table layout', () => {
  it('is spelled in layout.ts only: no other source file writes an item or index key prefix', () => {
    // A key prefix is upper case and ends in `#` (`CONFIRMED#`, `PERSON#`), or is a whole upper-case sort key.
    const spelled = /['`](?:[A-Z][A-Z_]+#|(?:CAMPAIGNS?|COUNTER|SIGNATURE|ENDORSEMENT|SUBSCRIBER|SUPPRESSION|OUTREACH(?:ES)?|DELIVERY|TOKEN|ERASURE|ERASED|NOTICE|BLOCKLIST|RATE|MAILBOX)['`])/;
    // The CLI talks to the HTTP API only (its upper-case words are column headings).
    const offenders = ['shared', 'functions', 'infra', 'bench', 'events']
      .flatMap(sourceFiles)
      .filter((file) => file !== layoutFile)
      .flatMap((file) =>
        readFileSync(path.join(root, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (spelled.test(line) && !line.trimStart().startsWith('*') && !line.trimStart().startsWith('//') ? [`${file}:${index + 1}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it('parses back what it builds', () => {
    expect(parse.campaignSlug(keys.counter('free-nasser-zefzafi').pk)).toBe('free-nasser-zefzafi');
    expect(parse.endorsementId(keys.endorsement('0a1b2c').pk)).toBe('0a1b2c');
    expect(parse.subscriberEmailKey(keys.subscriber('k_-1').pk)).toBe('k_-1');
  });

  it('lists an item where its query looks for it', () => {
    expect(partitions.allCountedSignatures('x')).toContain(indexEntries.countedSignature('x', '2026-01-01', 'id1').gsi2pk);
    expect(partitions.allPublicSignatures('x')).toContain(indexEntries.publicSignature('x', '2026-01-01', 'id1').gsi1pk);
    expect(partitions.allUncountedSignatures('x')).toContain(indexEntries.uncountedSignature('x', '2026-01-01', 'SIGNATURE#x#k').gsi4pk);
    expect(indexEntries.confirmedSubscriber('k').gsi1pk).toBe(partitions.confirmedSubscribers);
    expect(partitions.allDeliveries('o')).toContain(indexEntries.delivery('o', 'k').gsi2pk);
    expect(indexEntries.delivery('o', 'k').gsi2sk).toBe('k');
    expect(indexEntries.campaign('open', '2026-01-01', 's')).toMatchObject({ gsi1pk: partitions.campaignsWithStatus('open'), gsi2pk: partitions.campaigns });
  });

  it("spreads a campaign's signatures over its shards, the same signature always to the same shard", () => {
    const ids = Array.from({ length: 800 }, (_, i) => `01J${i.toString(36).padStart(8, '0')}`);
    const perShard = new Map<string, number>();
    for (const id of ids) {
      const { gsi2pk } = indexEntries.countedSignature('viral', '2026-01-01', id);
      expect(indexEntries.countedSignature('viral', '2026-03-09', id).gsi2pk).toBe(gsi2pk);
      expect(indexEntries.publicSignature('viral', '2026-01-01', id).gsi1pk).toBe(gsi2pk.replace('CONFIRMED#', 'SIGNATURES#'));
      perShard.set(gsi2pk, (perShard.get(gsi2pk) ?? 0) + 1);
    }
    expect([...perShard.keys()].sort()).toEqual(partitions.allCountedSignatures('viral').slice(1).sort());
    // Even enough that no shard takes much more than its share of a campaign's writes: 100 each, ±35%.
    for (const n of perShard.values()) {
      expect(n).toBeGreaterThan(65);
      expect(n).toBeLessThan(135);
    }
    expect(partitions.allCountedSignatures('viral')[0]).toBe('CONFIRMED#viral');
    expect(parse.signatureCampaign(keys.signature('free-ahmed', 'k_-1').pk)).toBe('free-ahmed');
  });

  it('keeps a relisted item in its place, under its new id', () => {
    expect(relistedSortKey('2026-01-01T00:00:00.000Z#old-id', 'new-id')).toBe('2026-01-01T00:00:00.000Z#new-id');
  });
});

describe('item codecs', () => {
  const fields = {
    id: 'e1',
    campaign: 'x',
    organisation: 'AMDH',
    country: 'MA',
    email: 'contact@example.org',
    status: 'pending',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  const endorsement = { ...keys.endorsement('e1'), type: 'endorsement', ...fields, gsi2pk: partitions.endorsementsWithStatus('pending') };

  it('decodes a stored item into its type, without keys or index entries', () => {
    expect(endorsementCodec.decode(endorsement)).toEqual(fields);
    expect(endorsementCodec.decodePublic(endorsement)).toEqual({ organisation: 'AMDH', country: 'MA' });
  });

  it('rejects a broken item, naming the field and not its value', () => {
    expect(() => endorsementCodec.decode({ ...endorsement, status: 'maybe' })).toThrow(MalformedItemError);
    expect(() => endorsementCodec.decode({ ...endorsement, organisation: 42 })).toThrow(/endorsement item has no valid "organisation"/);
    expect(() => subscriberCodec.decode({ key: 'k', status: 'confirmed', email: 'secret@example.org', countries: 'MA' })).not.toThrow();
    expect(() => subscriberCodec.decode({ key: 'k', status: 'gone', email: 'secret@example.org' })).toThrow(/^(?!.*secret@example\.org)/);
    expect(() => campaignCodec.decode({ slug: 's', status: 'open', kind: 'petition', createdAt: 'a', updatedAt: 'b' })).toThrow(/"title"/);
  });

  it("reads what an erasure left of a signature: campaign and country, nothing of the person", () => {
    expect(signatureCodec.decode({ campaign: 'x', country: 'MA', status: 'erased' })).toEqual({
      campaign: 'x',
      country: 'MA',
      name: '',
      email: '',
      postcode: '',
      comment: '',
      confirmedAt: '',
      requestedAt: '',
      locale: '',
      public: false,
      subscribe: false,
    });
  });

  /** The error a decode throws, so a test can read its message. */
  function failure(decode: () => unknown): Error {
    try {
      decode();
    } catch (error) {
      return error as Error;
    }
    throw new Error('decoded without complaint');
  }

  describe('tokens', () => {
    const subject = { pk: 'SIGNATURE#free-them', sk: 'PERSON#p1' };
    const token = { ...keys.token('hash'), type: 'token', action: 'signature', subject, expiresAtIso: '2026-03-04T10:00:00.000Z', expiresAt: 1, gsi3pk: 'PERSON#p1', gsi3sk: 'SIGNATURE#x' };

    it('decodes what a confirmation needs, leaving out what the item does not hold', () => {
      expect(tokenCodec.decode(token)).toEqual({ action: 'signature', subject, expiresAt: '2026-03-04T10:00:00.000Z' });
      expect(tokenCodec.decode({ ...token, issuedFor: 'request-0', mailedAt: '2026-03-01T10:00:00.000Z' })).toEqual({
        action: 'signature',
        subject,
        expiresAt: '2026-03-04T10:00:00.000Z',
        issuedFor: 'request-0',
        mailedAt: '2026-03-01T10:00:00.000Z',
      });
    });

    it('tells what became of the mail from the fields alone', () => {
      expect(tokenCodec.decodeMail({ ...keys.token('hash'), mailedAt: 'a', withheldAt: 'b' })).toBe('sent');
      expect(tokenCodec.decodeMail({ ...keys.token('hash'), withheldAt: 'b' })).toBe('withheld');
      expect(tokenCodec.decodeMail({ ...keys.token('hash') })).toBeUndefined();
    });

    it.each([
      ['action', { action: 'delete-everything' }],
      ['action', { action: undefined }],
      ['subject', { subject: 'SIGNATURE#secret-subject' }],
      ['subject', { subject: { pk: 'SIGNATURE#secret-subject' } }],
      ['expiresAtIso', { expiresAtIso: 1_772_618_400 }],
    ])('rejects a token with no valid %s, without its value', (field, broken) => {
      const error = failure(() => tokenCodec.decode({ ...token, ...broken }));
      expect(error).toBeInstanceOf(MalformedItemError);
      expect(error.message).toBe(`A stored token item has no valid "${field}".`);
    });
  });

  describe('outreach', () => {
    const outreach = {
      id: '2026-W09',
      kind: 'digest',
      period: '2026-W09',
      planned: true,
      recipients: 3,
      sent: 2,
      failed: 0,
      skipped: 1,
      createdAt: '2026-03-01T10:00:00.000Z',
      requestedBy: 'scheduler',
      plannedAt: '2026-03-01T10:01:00.000Z',
    };
    const item = { ...keys.outreach('2026-W09'), type: 'outreach', ...outreach, gsi2pk: partitions.outreaches, gsi2sk: 'x' };

    it('decodes an outreach as stored, without keys or index entries', () => {
      expect(outreachCodec.decode(item)).toEqual(outreach);
      expect(outreachCodec.decodeId({ id: '2026-W09' })).toBe('2026-W09');
    });

    it.each([
      ['kind', { kind: 'spam' }],
      ['planned', { planned: 'yes' }],
      ['sent', { sent: '2' }],
      ['requestedBy', { requestedBy: undefined }],
    ])('rejects an outreach with no valid %s, without its value', (field, broken) => {
      const error = failure(() => outreachCodec.decode({ ...item, ...broken }));
      expect(error).toBeInstanceOf(MalformedItemError);
      expect(error.message).toBe(`A stored outreach item has no valid "${field}".`);
    });

    it('rejects a listing entry without an id', () => {
      expect(() => outreachCodec.decodeId({ id: 7 })).toThrow(/outreach item has no valid "id"/);
    });
  });

  describe('blocklist entries', () => {
    const block = { kind: 'email-domain', value: 'evil.example', reason: 'spam wave', at: '2026-03-01T10:00:00.000Z', by: 'op-1' };
    const item = { ...keys.block('email-domain', 'evil.example'), type: 'block', ...block };

    it('decodes an entry into exactly the block, without keys', () => {
      expect(blockCodec.decode(item)).toEqual(block);
    });

    it.each([
      ['kind', { kind: 'postcode' }],
      ['value', { value: 203 }],
      ['reason', { reason: undefined }],
      ['by', { by: ['secret-operator'] }],
    ])('rejects an entry with no valid %s, without its value', (field, broken) => {
      const error = failure(() => blockCodec.decode({ ...item, ...broken }));
      expect(error).toBeInstanceOf(MalformedItemError);
      expect(error.message).toBe(`A stored block item has no valid "${field}".`);
      expect(error.message).not.toContain(String(Object.values(broken)[0]));
    });
  });
});
