import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtAuthorizer } from '#infra/local/jwt-authorizer.ts';

let server: http.Server;
let issuer: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let ellipticKey: CryptoKey;

const clientId = 'operator-cli-client';

interface TokenOptions {
  key?: CryptoKey | Uint8Array;
  issuer?: string;
  /** Seconds from now; null for a token without `exp`. */
  expiresIn?: number | null;
  alg?: string;
  kid?: string;
}

function token(claims: Record<string, unknown>, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ sub: 'f3a9c2d0-0000-4000-8000-000000000001', token_use: 'access', scope: 'aws.cognito.signin.user.admin', ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.issuer ?? issuer)
    .setIssuedAt(now);
  if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 3600));
  return jwt.sign(options.key ?? signingKey);
}

describe('the local stand-in for API Gateway JWT authorizer', () => {
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    // A second key in the issuer's set, with no `alg` of its own: only the authorizer's rule keeps ES256 out.
    const elliptic = await generateKeyPair('ES256');
    ellipticKey = elliptic.privateKey;
    const jwks = JSON.stringify({
      keys: [
        { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(elliptic.publicKey)), kid: 'k2', use: 'sig' },
      ],
    });
    server = http.createServer((req, res) => {
      if (req.url === '/pool/.well-known/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts an access token of the app client and passes its claims as strings, with the scopes', async () => {
    const authorizer = new JwtAuthorizer({ issuer, audience: [clientId] });
    const result = await authorizer.authorize(`Bearer ${await token({ client_id: clientId })}`);
    expect(result?.claims).toMatchObject({ sub: 'f3a9c2d0-0000-4000-8000-000000000001', client_id: clientId, token_use: 'access' });
    expect(typeof result?.claims.exp).toBe('string');
    expect(result?.scopes).toEqual(['aws.cognito.signin.user.admin']);
  });

  it('accepts an id token by its aud', async () => {
    const authorizer = new JwtAuthorizer({ issuer, audience: [clientId] });
    const result = await authorizer.authorize(`bearer ${await token({ aud: clientId, token_use: 'id', email: 'desk@example.net' })}`);
    expect(result).toEqual({
      claims: {
        sub: 'f3a9c2d0-0000-4000-8000-000000000001',
        token_use: 'id',
        aud: clientId,
        email: 'desk@example.net',
        scope: 'aws.cognito.signin.user.admin',
        iss: issuer,
        iat: expect.stringMatching(/^\d+$/),
        exp: expect.stringMatching(/^\d+$/),
      },
      scopes: ['aws.cognito.signin.user.admin'],
    });
  });

  it.each([
    ['another app client', () => token({ client_id: 'someone-else' })],
    ['another issuer', () => token({ client_id: clientId }, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })],
    ['an expired token', () => token({ client_id: clientId }, { expiresIn: -120 })],
    ['a key not in the JWKS', () => token({ client_id: clientId }, { key: strangerKey })],
    ['a token that is not a JWT', () => Promise.resolve('local-admin-token')],
    // API Gateway requires `exp`: a token without it would never stop working.
    ['a token without exp', () => token({ client_id: clientId }, { expiresIn: null })],
    // API Gateway's JWT authorizer supports RS256 only, whatever else the issuer's key set holds.
    ['an ES256 token signed by a key in the JWKS', () => token({ client_id: clientId }, { alg: 'ES256', kid: 'k2', key: ellipticKey })],
    ['an HS256 token', () => token({ client_id: clientId }, { alg: 'HS256', key: new TextEncoder().encode('a shared secret nobody should use here') })],
    ['an unsigned token (alg none)', () => Promise.resolve(new UnsecuredJWT({ client_id: clientId, sub: 'x' }).setIssuer(issuer).setExpirationTime('1h').encode())],
  ])('refuses %s', async (_what, make) => {
    const authorizer = new JwtAuthorizer({ issuer, audience: [clientId] });
    expect(await authorizer.authorize(`Bearer ${await make()}`)).toBeUndefined();
  });

  it('refuses a request without a bearer token, and will not start without an audience', async () => {
    const authorizer = new JwtAuthorizer({ issuer, audience: [clientId] });
    expect(await authorizer.authorize(undefined)).toBeUndefined();
    expect(await authorizer.authorize(`Basic ${await token({ client_id: clientId })}`)).toBeUndefined();
    expect(() => new JwtAuthorizer({ issuer, audience: [] })).toThrow(/OPERATOR_JWT_AUDIENCE/);
  });
});
