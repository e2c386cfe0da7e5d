import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { Secret, TOTP } from 'otpauth';

/**
 * A stand-in for the Cognito user pool API, enough of it for the operator CLI's sign-in: USER_SRP_AUTH with the
 * server half of SRP-6a as Cognito does it (3072-bit group, HKDF "Caldera Derived Key"), NEW_PASSWORD_REQUIRED,
 * MFA_SETUP with AssociateSoftwareToken/VerifySoftwareToken, SOFTWARE_TOKEN_MFA, REFRESH_TOKEN_AUTH, RevokeToken,
 * and RS256 tokens with a JWKS under the issuer, as API Gateway's JWT authorizer reads them.
 * The server math is written here independently of the client library, so a sign-in proves both agree.
 */

// RFC 5054's 3072-bit group, the one Cognito uses, with generator 2.
const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Even-length hex with a leading 00 when the top bit is set: Java BigInteger's byte form, which Cognito hashes. */
function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hexHash = (hex: string) => sha256Hex(Buffer.from(hex, 'hex'));
const hmac = (key: Buffer, ...parts: Buffer[]) => {
  const h = createHmac('sha256', key);
  for (const part of parts) h.update(part);
  return h.digest();
};
const k = BigInt(`0x${hexHash(padHex(N) + padHex(g))}`);

export interface StandInUser {
  sub: string;
  email: string;
  password: string;
  /** Set by an administrator: the first sign-in must choose a new one. */
  temporary: boolean;
  /** Base32 TOTP secret once an authenticator app is enrolled. */
  totpSecret?: string;
}

interface SrpSession {
  kind: 'srp';
  user: StandInUser;
  A: bigint;
  b: bigint;
  B: bigint;
  salt: bigint;
  verifier: bigint;
  secretBlock: Buffer;
}
interface ChallengeSession {
  kind: 'challenge';
  user: StandInUser;
  challenge: 'NEW_PASSWORD_REQUIRED' | 'MFA_SETUP' | 'SOFTWARE_TOKEN_MFA';
  pendingSecret?: string;
  verified?: boolean;
}

/** A request body: Cognito's JSON protocol, read field by field. */
type Body = Record<string, unknown>;

class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CognitoStandIn {
  endpoint: string;
  issuer: string;
  userPoolId: string;
  clientId: string;
  addUser(email: string, password: string, options?: { temporary?: boolean }): StandInUser;
  user(email: string): StandInUser;
  /** Operation names in the order they were called (with the auth flow or challenge name). */
  calls: string[];
  close(): Promise<void>;
}

export async function startCognitoStandIn(options: { accessTokenSeconds?: number } = {}): Promise<CognitoStandIn> {
  const userPoolId = 'local-1_Operators';
  const poolName = userPoolId.split('_')[1]!;
  const clientId = 'standinclient0000000000001';
  const accessTokenSeconds = options.accessTokenSeconds ?? 3600;
  const users = new Map<string, StandInUser>();
  const sessions = new Map<string, SrpSession | ChallengeSession>();
  const refreshTokens = new Map<string, { user: StandInUser; originJti: string; revoked: boolean }>();
  const calls: string[] = [];
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'stand-in', alg: 'RS256', use: 'sig' };
  let issuer = '';

  const verifierOf = (user: StandInUser, salt: bigint) => {
    const x = BigInt(`0x${hexHash(padHex(salt) + sha256Hex(`${poolName}${user.sub}:${user.password}`))}`);
    return modPow(g, x, N);
  };
  const newSession = (session: SrpSession | ChallengeSession) => {
    const id = randomBytes(48).toString('base64');
    sessions.set(id, session);
    return id;
  };
  const takeSession = (id: unknown, kind: 'srp' | 'challenge') => {
    const session = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!session || session.kind !== kind) throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    sessions.delete(id as string);
    return session;
  };

  async function tokens(user: StandInUser, originJti: string) {
    const now = Math.floor(Date.now() / 1000);
    const common = { sub: user.sub, origin_jti: originJti, event_id: randomUUID(), auth_time: now };
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ ...common, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'stand-in' })
        .setIssuer(issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + accessTokenSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    return {
      AccessToken: await sign({ token_use: 'access', client_id: clientId, scope: 'aws.cognito.signin.user.admin', username: user.sub }),
      IdToken: await sign({ token_use: 'id', aud: clientId, email: user.email, 'cognito:username': user.sub }),
      ExpiresIn: accessTokenSeconds,
      TokenType: 'Bearer',
    };
  }

  async function signedIn(user: StandInUser) {
    const originJti = randomUUID();
    const refreshToken = randomBytes(64).toString('base64url');
    refreshTokens.set(refreshToken, { user, originJti, revoked: false });
    return { AuthenticationResult: { ...(await tokens(user, originJti)), RefreshToken: refreshToken }, ChallengeParameters: {} };
  }

  // After the password: the first challenge the account still has, or the tokens.
  function next(user: StandInUser) {
    const challenge = user.temporary ? 'NEW_PASSWORD_REQUIRED' : user.totpSecret ? 'SOFTWARE_TOKEN_MFA' : 'MFA_SETUP';
    const parameters: Record<string, string> =
      challenge === 'NEW_PASSWORD_REQUIRED'
        ? { userAttributes: JSON.stringify({ email: user.email }), requiredAttributes: '[]' }
        : challenge === 'MFA_SETUP'
          ? { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }
          : { FRIENDLY_DEVICE_NAME: 'tadamon-cli' };
    return { ChallengeName: challenge, ChallengeParameters: { ...parameters, USER_ID_FOR_SRP: user.sub }, Session: newSession({ kind: 'challenge', user, challenge }) };
  }

  const codeIsRight = (secret: string, code: unknown) =>
    typeof code === 'string' && new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).validate({ token: code, window: 1 }) !== null;

  const operations: Record<string, (body: Body) => Promise<unknown> | unknown> = {
    InitiateAuth: async (body) => {
      if (body.ClientId !== clientId) throw new CognitoError('ResourceNotFoundException', 'User pool client does not exist.');
      const parameters = (body.AuthParameters ?? {}) as Record<string, string>;
      calls.push(`InitiateAuth ${body.AuthFlow}`);
      if (body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
        const entry = refreshTokens.get(parameters.REFRESH_TOKEN ?? '');
        if (!entry || entry.revoked) throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
        return { AuthenticationResult: await tokens(entry.user, entry.originJti), ChallengeParameters: {} };
      }
      // The stack's app client allows SRP only.
      if (body.AuthFlow !== 'USER_SRP_AUTH') throw new CognitoError('InvalidParameterException', `${String(body.AuthFlow)} flow not enabled for this client`);
      const user = users.get(String(parameters.USERNAME ?? '').toLowerCase());
      const A = BigInt(`0x${parameters.SRP_A ?? '0'}`);
      if (A % N === 0n) throw new CognitoError('InvalidParameterException', 'Invalid SRP_A');
      if (!user) throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
      const salt = BigInt(`0x${randomBytes(16).toString('hex')}`);
      const verifier = verifierOf(user, salt);
      const b = BigInt(`0x${randomBytes(128).toString('hex')}`) % N;
      const B = (k * verifier + modPow(g, b, N)) % N;
      const secretBlock = randomBytes(64);
      const session = newSession({ kind: 'srp', user, A, b, B, salt, verifier, secretBlock });
      return {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: { SALT: salt.toString(16), SECRET_BLOCK: secretBlock.toString('base64'), SRP_B: B.toString(16), USERNAME: user.sub, USER_ID_FOR_SRP: user.sub },
        Session: session,
      };
    },

    RespondToAuthChallenge: async (body) => {
      const responses = (body.ChallengeResponses ?? {}) as Record<string, string>;
      calls.push(`RespondToAuthChallenge ${body.ChallengeName}`);
      if (body.ChallengeName === 'PASSWORD_VERIFIER') {
        const s = takeSession(body.Session, 'srp') as SrpSession;
        const u = BigInt(`0x${hexHash(padHex(s.A) + padHex(s.B))}`);
        const S = modPow((s.A * modPow(s.verifier, u, N)) % N, s.b, N);
        const prk = hmac(Buffer.from(padHex(u), 'hex'), Buffer.from(padHex(S), 'hex'));
        const key = hmac(prk, Buffer.from('Caldera Derived Key\u0001', 'utf8')).subarray(0, 16);
        const expected = hmac(
          key,
          Buffer.from(poolName, 'utf8'),
          Buffer.from(s.user.sub, 'utf8'),
          s.secretBlock,
          Buffer.from(responses.TIMESTAMP ?? '', 'utf8'),
        );
        const given = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE ?? '', 'base64');
        const blockMatches = responses.PASSWORD_CLAIM_SECRET_BLOCK === s.secretBlock.toString('base64');
        if (!blockMatches || given.length !== expected.length || !timingSafeEqual(given, expected)) {
          throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
        }
        return next(s.user);
      }
      const session = takeSession(body.Session, 'challenge') as ChallengeSession;
      if (session.challenge !== body.ChallengeName) throw new CognitoError('InvalidParameterException', `Expected ${session.challenge}`);
      if (body.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
        const password = responses.NEW_PASSWORD ?? '';
        const strong = password.length >= 14 && /[a-z]/.test(password) && /[A-Z]/.test(password) && /\d/.test(password) && /[^\w\s]/.test(password);
        if (!strong) throw new CognitoError('InvalidPasswordException', 'Password does not conform to policy: Password not long enough');
        session.user.password = password;
        session.user.temporary = false;
        return next(session.user);
      }
      if (body.ChallengeName === 'MFA_SETUP') {
        if (!session.verified || !session.pendingSecret) throw new CognitoError('NotAuthorizedException', 'The software token was not verified.');
        session.user.totpSecret = session.pendingSecret;
        return signedIn(session.user);
      }
      if (!codeIsRight(session.user.totpSecret!, responses.SOFTWARE_TOKEN_MFA_CODE)) throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
      return signedIn(session.user);
    },

    AssociateSoftwareToken: (body) => {
      calls.push('AssociateSoftwareToken');
      const session = takeSession(body.Session, 'challenge') as ChallengeSession;
      if (session.challenge !== 'MFA_SETUP') throw new CognitoError('NotAuthorizedException', 'Invalid session');
      session.pendingSecret = new Secret({ size: 20 }).base32;
      return { SecretCode: session.pendingSecret, Session: newSession(session) };
    },

    VerifySoftwareToken: (body) => {
      calls.push('VerifySoftwareToken');
      const session = takeSession(body.Session, 'challenge') as ChallengeSession;
      if (!session.pendingSecret || !codeIsRight(session.pendingSecret, body.UserCode)) {
        throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
      }
      session.verified = true;
      return { Status: 'SUCCESS', Session: newSession(session) };
    },

    RevokeToken: (body) => {
      calls.push('RevokeToken');
      const entry = refreshTokens.get(String(body.Token));
      if (entry) entry.revoked = true;
      return {};
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        if (req.method === 'GET' && req.url === `/${userPoolId}/.well-known/jwks.json`) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
          return;
        }
        const target = String(req.headers['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', '');
        const operation = operations[target];
        try {
          if (!operation) throw new CognitoError('UnknownOperationException', `${target} is not part of the stand-in`);
          const answer = await operation(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Body);
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
        } catch (error) {
          const e = error instanceof CognitoError ? error : new CognitoError('InternalErrorException', String(error));
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': e.type }).end(JSON.stringify({ __type: e.type, message: e.message }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${endpoint}/${userPoolId}`;

  return {
    endpoint: `${endpoint}/`,
    issuer,
    userPoolId,
    clientId,
    calls,
    addUser(email, password, { temporary = true } = {}) {
      const user: StandInUser = { sub: randomUUID(), email, password, temporary };
      users.set(email.toLowerCase(), user);
      return user;
    },
    user(email) {
      const user = users.get(email.toLowerCase());
      if (!user) throw new Error(`no user ${email}`);
      return user;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
