import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * The header the CloudFront distribution adds to every request it sends to the API (infra/stack/edge.ts),
 * carrying the deployment's edge secret (EDGE_ORIGIN_SECRET): proof that the request came through the edge.
 */
export const edgeSecretHeader = 'x-tadamon-edge';

/** CloudFront's own header: the viewer's address and source port, `198.51.100.7:46532` or `2001:db8::7:46532`. */
export const viewerAddressHeader = 'cloudfront-viewer-address';

/**
 * The address of whoever made the request. Behind CloudFront, API Gateway's `sourceIp` is a CloudFront
 * address, shared by every viewer of that edge: per-address limits and IP blocks need the viewer's own, which
 * CloudFront sends as CloudFront-Viewer-Address. A caller that goes straight to the API's own URL could send
 * that header too, so it is believed only beside the edge secret; anything else gets `sourceIp`, which is
 * then the caller's own address (and locally always is).
 */
export function viewerAddress(event: APIGatewayProxyEventV2, edgeSecret: string | undefined): string {
  const direct = event.requestContext.http.sourceIp;
  if (!edgeSecret) return direct;
  const proof = event.headers?.[edgeSecretHeader];
  const forwarded = event.headers?.[viewerAddressHeader];
  if (proof === undefined || forwarded === undefined || !sameSecret(proof, edgeSecret)) return direct;
  return addressOf(forwarded) ?? direct;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The address without its port (after the last colon, for IPv6 too); undefined when it is not an address. */
function addressOf(value: string): string | undefined {
  const colon = value.trim().lastIndexOf(':');
  if (colon <= 0) return undefined;
  const address = value.trim().slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return isIP(address) ? address : undefined;
}
