import { config } from '#shared/config.ts';

const verifyUrls = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
} as const;

/**
 * Server-side captcha verification (Cloudflare Turnstile or hCaptcha, chosen by CAPTCHA_PROVIDER; off by
 * default). Both take the same form post and answer `{"success": bool}`. CAPTCHA_VERIFY_URL overrides the
 * provider's endpoint (tests point it at a local stand-in).
 */
export async function captchaPasses(token: string | undefined, remoteIp: string): Promise<boolean> {
  const { CAPTCHA_PROVIDER: provider, CAPTCHA_SECRET: secret, CAPTCHA_VERIFY_URL: override } = config();
  if (provider === 'none') return true;
  if (!token || !secret) return false;
  const response = await fetch(override ?? verifyUrls[provider], {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ secret, response: token, remoteip: remoteIp }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) return false;
  const answer = (await response.json()) as { success?: unknown };
  return answer.success === true;
}
