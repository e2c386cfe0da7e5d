import type { HttpResult } from '#shared/http/responses.ts';

/**
 * The answer of a public page (the campaign and front pages): unlike the pages behind personal links
 * (responses.ts `html()`, `default-src 'none'`), it may load the widget script, from this deployment or where
 * the stage publishes it, let the widget call this deployment's API and show a captcha provider's challenge.
 * Nothing else: no inline script, no other origin, no framing. Its language is part of the answer, so caches
 * keep one per language (`Vary`; CloudFront keys on the same headers, infra/stack/edge.ts).
 */

/** What each provider's challenge loads into the page, as its documentation lists it for a CSP. */
const captchaSources = {
  turnstile: { sources: ['https://challenges.cloudflare.com'], directives: ['script-src', 'frame-src'] },
  hcaptcha: { sources: ['https://hcaptcha.com', 'https://*.hcaptcha.com'], directives: ['script-src', 'frame-src', 'style-src', 'connect-src'] },
} as const;

export type CaptchaProvider = keyof typeof captchaSources;

export interface PublicPagePolicy {
  /** The API the widget talks to (PUBLIC_URL's origin). */
  apiOrigin: string;
  /** Where the widget script comes from, when not from the page's own origin. */
  widgetOrigin?: string | undefined;
  captcha?: CaptchaProvider | undefined;
}

export function publicPageSecurityPolicy({ apiOrigin, widgetOrigin, captcha }: PublicPagePolicy): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'", ...(widgetOrigin ? [widgetOrigin] : [])],
    'connect-src': ["'self'", apiOrigin],
    'style-src': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  if (captcha) for (const directive of captchaSources[captcha].directives) (directives[directive] ??= []).push(...captchaSources[captcha].sources);
  return Object.entries(directives)
    .map(([directive, sources]) => `${directive} ${[...new Set(sources)].join(' ')}`)
    .join('; ');
}

export function publicHtml(statusCode: number, body: string, options: { policy: PublicPagePolicy; language: string }): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-language': options.language,
      vary: 'Accept-Language',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': publicPageSecurityPolicy(options.policy),
    },
    body,
  };
}
