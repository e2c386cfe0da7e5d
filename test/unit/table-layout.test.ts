import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignCodec, endorsementCodec, MalformedItemError, signatureCodec, subscriberCodec } from '#shared/store/items.ts';
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
    expect(indexEntries.countedSignature('x', '2026-01-01', 'id1').gsi2pk).toBe(partitions.countedSignatures('x'));
    expect(indexEntries.publicSignature('x', '2026-01-01', 'id1').gsi1pk).toBe(partitions.publicSignatures('x'));
    expect(indexEntries.confirmedSubscriber('k').gsi1pk).toBe(partitions.confirmedSubscribers);
    expect(indexEntries.delivery('o', 'k')).toEqual({ gsi2pk: partitions.deliveries('o'), gsi2sk: 'k' });
    expect(indexEntries.campaign('open', '2026-01-01', 's')).toMatchObject({ gsi1pk: partitions.campaignsWithStatus('open'), gsi2pk: partitions.campaigns });
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
    });
  });
});
