import { describe, expect, it } from 'vitest';
import { canonicalEmail, mailboxIdentity } from '#shared/domain/email-address.ts';

describe('canonicalEmail: one identity per mailbox', () => {
  it('ignores case and surrounding spaces', () => {
    expect(canonicalEmail('  Amina.Benali@Example.ORG \t')).toBe('amina.benali@example.org');
  });

  it('gives every Gmail alias of a mailbox the same form: no dots, no +tag', () => {
    const aliases = ['amina.benali@gmail.com', 'AminaBenali@gmail.com', 'a.m.i.n.a.benali+petitions@gmail.com', 'aminabenali+x+y@GMAIL.com'];
    for (const alias of aliases) expect(canonicalEmail(alias)).toBe('aminabenali@gmail.com');
  });

  it('maps googlemail.com to gmail.com, with the same rules', () => {
    expect(canonicalEmail('Amina.Benali+tadamon@googlemail.com')).toBe('aminabenali@gmail.com');
    expect(canonicalEmail('amina.benali@googlemail.com')).toBe(canonicalEmail('aminabenali@gmail.com'));
  });

  it('applies the Gmail rules to a one-letter local part too', () => {
    expect(canonicalEmail('A@googlemail.com')).toBe('a@gmail.com');
    expect(canonicalEmail('a+petitions@gmail.com')).toBe('a@gmail.com');
  });

  it('keeps dots and +tags for other providers, where they may name another mailbox', () => {
    expect(canonicalEmail('amina.benali+news@example.org')).toBe('amina.benali+news@example.org');
    expect(canonicalEmail('amina.benali@example.org')).not.toBe(canonicalEmail('aminabenali@example.org'));
    expect(canonicalEmail('a+b@example.org')).not.toBe(canonicalEmail('a@example.org'));
  });

  it('does not treat lookalike domains as Gmail', () => {
    expect(canonicalEmail('a.b+c@gmail.com.example.org')).toBe('a.b+c@gmail.com.example.org');
    expect(canonicalEmail('a.b+c@notgmail.com')).toBe('a.b+c@notgmail.com');
  });

  it('leaves something that is not an address merely lower-cased', () => {
    expect(canonicalEmail(' No-At-Sign ')).toBe('no-at-sign');
    expect(canonicalEmail('@gmail.com')).toBe('@gmail.com');
  });
});

describe('mailboxIdentity: the inbox mail reaches, for capping mail', () => {
  it('folds +tags on every domain, keeping the rest of the local part', () => {
    expect(mailboxIdentity('Victim+1@Example.org')).toBe('victim@example.org');
    expect(mailboxIdentity('victim+a+b@example.org')).toBe('victim@example.org');
    expect(mailboxIdentity('first.last+news@example.org')).toBe('first.last@example.org');
  });

  it('applies the Gmail rules first', () => {
    expect(mailboxIdentity('Vic.Tim+1@googlemail.com')).toBe('victim@gmail.com');
  });

  it('keeps a local part that is nothing but a tag, rather than leave it empty', () => {
    expect(mailboxIdentity('+news@example.org')).toBe('+news@example.org');
  });

  it('leaves something that is not an address as canonicalEmail does', () => {
    expect(mailboxIdentity(' No-At-Sign ')).toBe('no-at-sign');
    expect(mailboxIdentity('@example.org')).toBe('@example.org');
  });
});
