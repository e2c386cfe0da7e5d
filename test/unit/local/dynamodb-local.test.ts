import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';

/** The addresses the kernel has a listening TCP socket on for `port` (Linux: /proc/net/tcp and tcp6, hex). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // local_address is column 1 (ADDRESS:PORT), the state column 3; 0A is LISTEN.
      .filter((columns) => columns[1]?.endsWith(`:${hexPort}`) && columns[3] === '0A')
      .map((columns) => columns[1]!.split(':')[0]!),
  );
}

// 127.0.0.1, ::ffff:127.0.0.1 and ::1 as /proc writes them.
const loopback = new Set(['0100007F', '0000000000000000FFFF00000100007F', '00000000000000000000000001000000']);

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => resolve(false));
  });
}

describe('DynamoDB Local, which accepts any credentials', () => {
  it('listens on the loopback interface only, and answers no web page', async () => {
    const dynamo = await startDynamoDbLocal(undefined);
    try {
      const port = Number(new URL(dynamo.endpoint).port);
      if (existsSync('/proc/net/tcp')) {
        const addresses = listeningAddresses(port);
        expect(addresses.length).toBeGreaterThan(0);
        expect(addresses.filter((address) => !loopback.has(address))).toEqual([]);
      } else {
        const external = Object.values(networkInterfaces()).flat().find((address) => address && !address.internal && address.family === 'IPv4');
        expect(external, 'a network interface to try the port from').toBeDefined();
        expect(await connects(external!.address, port)).toBe(false);
      }
      expect(await connects('127.0.0.1', port)).toBe(true);
      expect(dynamo.loopbackOnly).toBe(true);

      // Nor may a page open in the developer's browser read it: without `-cors` it names no allowed origin.
      const preflight = await fetch(dynamo.endpoint, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-amz-target' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const scan = await fetch(dynamo.endpoint, {
        method: 'POST',
        headers: {
          origin: 'https://evil.example',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: 'AWS4-HMAC-SHA256 Credential=any/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: '{}',
      });
      expect(scan.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await dynamo.stop();
    }
  }, 120_000);
});
