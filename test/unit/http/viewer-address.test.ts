import { describe, expect, it } from 'vitest';
import { edgeSecretHeader, viewerAddress, viewerAddressHeader } from '#shared/http/viewer-address.ts';
import { httpEvent } from '#test/support/http-event.ts';

const secret = '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718';
const cloudFront = '130.176.1.20';

const request = (headers: Record<string, string>) => httpEvent({ headers, sourceIp: cloudFront });

describe('viewerAddress: who made the request, behind the edge or not', () => {
  it("takes CloudFront's viewer address when the request carries the edge secret", () => {
    expect(viewerAddress(request({ [edgeSecretHeader]: secret, [viewerAddressHeader]: '198.51.100.7:46532' }), secret)).toBe('198.51.100.7');
    expect(viewerAddress(request({ [edgeSecretHeader]: secret, [viewerAddressHeader]: '2001:db8::7:46532' }), secret)).toBe('2001:db8::7');
  });

  it('keeps sourceIp for a request without the secret, with a wrong one, or where no edge is deployed', () => {
    const spoofed = { [viewerAddressHeader]: '203.0.113.9:1234' };
    expect(viewerAddress(request(spoofed), secret)).toBe(cloudFront);
    expect(viewerAddress(request({ ...spoofed, [edgeSecretHeader]: 'guess' }), secret)).toBe(cloudFront);
    expect(viewerAddress(request({ ...spoofed, [edgeSecretHeader]: `${secret}x` }), secret)).toBe(cloudFront);
    expect(viewerAddress(request({ ...spoofed, [edgeSecretHeader]: secret }), undefined)).toBe(cloudFront);
  });

  it('keeps sourceIp when the forwarded value is not an address', () => {
    for (const value of ['', 'not-an-address:80', '198.51.100.7', '999.1.1.1:80']) {
      expect(viewerAddress(request({ [edgeSecretHeader]: secret, [viewerAddressHeader]: value }), secret), value).toBe(cloudFront);
    }
  });
});
