import type { Server } from 'node:http';
import inbox from 'aws-ses-v2-local';

// A CommonJS module: under ESM its default export arrives wrapped once more.
const startInbox = ((inbox as unknown as { default?: typeof inbox }).default ?? inbox) as unknown as (config: { port: number; host: string }) => Promise<Server>;

/** The SES-compatible local inbox with its web viewer (aws-ses-v2-local). Mail is kept in memory. */
export async function startLocalInbox(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = await startInbox({ port, host: '127.0.0.1' });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
