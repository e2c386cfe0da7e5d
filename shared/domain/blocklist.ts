/**
 * What a blocklist entry can block. Kept apart from the store so that schemas and the OpenAPI
 * description can name the kinds without pulling in the DynamoDB client.
 */
export const blockKinds = ['ip', 'email-domain'] as const;
export type BlockKind = (typeof blockKinds)[number];
