import { createRemoteJWKSet, jwtVerify } from 'jose';

export interface JwtAuthorizerOptions {
  /** The token issuer, e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>. */
  issuer: string;
  /** Accepted `aud` (id tokens) or `client_id` (Cognito access tokens): the app client ids. */
  audience: string[];
}

export interface Authorized {
  claims: Record<string, string>;
  scopes: string[];
}

/**
 * API Gateway's JWT authorizer as HTTP APIs run it, for operator routes when the local runtime is pointed at
 * a user pool: an RS256 signature (the only algorithm it supports) checked against the issuer's JWKS, `iss`,
 * `exp` (required: a token that never expires is refused) and `nbf`, and `aud` or `client_id` among the
 * audiences. Claims reach the handler as strings, the way API Gateway passes them.
 */
export class JwtAuthorizer {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: JwtAuthorizerOptions) {
    if (!options.audience.length) throw new Error('A JWT authorizer needs its audience: the app client ids (OPERATOR_JWT_AUDIENCE).');
    this.keys = createRemoteJWKSet(new URL(`${options.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`));
  }

  async authorize(header: string | undefined): Promise<Authorized | undefined> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.keys, { issuer: this.options.issuer, algorithms: ['RS256'], requiredClaims: ['exp'] });
      const audiences = [payload.aud ?? [], typeof payload.client_id === 'string' ? payload.client_id : []].flat();
      if (!audiences.some((a) => this.options.audience.includes(a))) return undefined;
      const claims: Record<string, string> = {};
      for (const [name, value] of Object.entries(payload)) claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
      return { claims, scopes: typeof payload.scope === 'string' ? payload.scope.split(' ') : [] };
    } catch {
      return undefined;
    }
  }
}
