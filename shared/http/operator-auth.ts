import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { config } from '#shared/config.ts';
import { sha256 } from '#shared/ids.ts';
import { unauthorized } from './problem.ts';

export interface Operator {
  /** Who acted, for audit trails: the Cognito subject on AWS, `admin-token` locally. */
  id: string;
}

/**
 * On AWS, API Gateway's JWT authorizer has already verified a Cognito access token and put its claims on
 * the event. Locally (and as a fallback) the bearer token must equal ADMIN_TOKEN, compared in constant time.
 */
export function authenticateOperator(event: APIGatewayProxyEventV2): Operator {
  const claims = (event as Partial<APIGatewayProxyEventV2WithJWTAuthorizer>).requestContext?.authorizer?.jwt?.claims;
  if (claims && typeof claims.sub === 'string') return { id: `cognito:${claims.sub}` };

  const expected = config().ADMIN_TOKEN;
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!expected || !match?.[1]) throw unauthorized();
  // Hashing first gives equal-length buffers, so the comparison time says nothing about the token.
  const given = Buffer.from(sha256(match[1]));
  const wanted = Buffer.from(sha256(expected));
  if (!timingSafeEqual(given, wanted)) throw unauthorized();
  return { id: 'admin-token' };
}
