import { now } from '#shared/clock.ts';
import { deliveryPart } from '#shared/delivery/delivery-part.ts';
import { httpHandler } from '#shared/http/handler.ts';
import * as routes from '#shared/http/routes.ts';
import { logger } from '#shared/observability.ts';

/**
 * The document to hand to the target. A long list of names comes in parts (delivery-part.ts says how big);
 * the Link header leads to the next, which the CLI follows.
 */
export const handler = httpHandler(routes.adminDeliveryDocument, async ({ event, path, query }) => {
  const part = await deliveryPart(path.slug ?? '', { names: query.names, cursor: query.cursor, from: query.from, at: now() });
  logger.info('delivery document', { campaign: part.slug, names: part.names, bytes: part.pdf.length, from: query.from, more: part.nextCursor !== undefined });
  const next = part.nextCursor
    ? `${event.rawPath}?${new URLSearchParams({ names: query.names, cursor: part.nextCursor, from: String(query.from + part.names) }).toString()}`
    : undefined;
  const filename = query.from === 1 ? `${part.slug}-delivery.pdf` : `${part.slug}-delivery-from-${query.from}.pdf`;
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-name-count': String(part.names),
      ...(next ? { 'x-next-cursor': part.nextCursor!, link: `<${next}>; rel="next"` } : {}),
    },
    body: part.pdf.toString('base64'),
    isBase64Encoded: true,
  };
});
