/**
 * Escaping of user-supplied text for the two places it is shown: HTML (frame
 * tables, reports) and Markdown (tables a notebook displays). Parameter values,
 * block descriptions and column names can come from anyone's code or params
 * file, so every string is escaped before it reaches a notebook output.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `s` with `& < > " '` replaced by entities: safe as HTML text and inside a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * Markdown punctuation that starts inline syntax: code spans (`` ` ``), emphasis
 * (`*`, `_`, `~`), links and images (`[`, `]`, `!`), table cells (`|`), math
 * (`$`), headings (`#`) and escapes themselves (`\`).
 */
const MARKDOWN_SPECIALS = /[\\`*_~[\]!|$#]/g;

/**
 * `s` as literal text inside Markdown (a table cell, a line of prose): markdown
 * punctuation is backslash-escaped, HTML is turned into entities (raw HTML in
 * Markdown is rendered, so `<img onerror=…>` would run), and line breaks become
 * spaces so that a table row stays one line.
 */
export function escapeMarkdown(s: string): string {
  return escapeHtml(s.replace(MARKDOWN_SPECIALS, (c) => `\\${c}`)).replace(/\r\n|\r|\n/g, ' ');
}
