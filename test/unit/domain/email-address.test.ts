import { describe, expect, it } from 'vitest';
import { canonicalEmail } from '#shared/domain/email-address.ts';

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
