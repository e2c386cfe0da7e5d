import MarkdownIt from 'markdown-it';

/**
 * Campaign texts are Markdown written by operators; pages show them as HTML. Raw HTML is off (`html: false`:
 * a `<script>` in a body is shown as text), markdown-it's own link check refuses `javascript:`, `vbscript:`,
 * `file:` and `data:` (but images) URLs, and every link opens without handing the page to the target.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// The page's own title is the one h1: the text's headings go one level down (h1 → h2 … h5 → h6).
for (const rule of ['heading_open', 'heading_close'] as const) {
  md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    if (token) token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
    return self.renderToken(tokens, idx, options);
  };
}

/** HTML of a campaign's Markdown, safe to put in a page. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
