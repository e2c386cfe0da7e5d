import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Problem } from './problem.ts';
import { escapeHtml, html, type HttpResult } from './responses.ts';

/** A minimal, script-free page: confirmation and unsubscribe pages work with any browser and a strict CSP. */
export function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Tadamon</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1.1rem;padding:.6rem 1.4rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${content}</body></html>`;
}

/** A confirmation or unsubscribe link that is unknown or expired: a person followed it, so they get a page, not JSON. */
export function linkProblemPage(problem: Problem): HttpResult {
  return html(problem.status, page('This link cannot be used', `<p>${escapeHtml(problem.message)}</p>`));
}

/** A browser's form post asks for HTML; API clients get the contract's JSON. */
export function wantsHtml(event: APIGatewayProxyEventV2): boolean {
  const accept = event.headers?.accept ?? '';
  return /text\/html/.test(accept) && !/application\/(problem\+)?json/.test(accept.split(',')[0] ?? '');
}
