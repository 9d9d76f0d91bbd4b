/**
 * Escaping of user-supplied text for the places it is shown: HTML (frame
 * tables, reports, page titles, and every text of a figure, which plotly renders
 * as HTML) and Markdown (tables a notebook displays). Parameter values, block
 * descriptions and column names can come from anyone's code or params file, so
 * every string is escaped before it reaches a notebook output.
 */

/**
 * `s` with `& < > " '` as numeric character references (`&#38;` …): safe as HTML
 * text and inside a quoted attribute. Numeric rather than named, because plotly
 * renders a subset of HTML in every text of a figure and decodes numeric
 * references but not every named one (`&quot;` would show as typed): one escaper
 * serves tables, reports, page titles and figures alike.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * What `escapeMarkdown` replaces: the five HTML characters, and the Markdown
 * punctuation that starts inline syntax: code spans (`` ` ``), emphasis
 * (`*`, `_`, `~`), links and images (`[`, `]`, `!`), table cells (`|`), math
 * (`$`), headings (`#`) and escapes themselves (`\`).
 */
const MARKDOWN_SPECIALS = /[&<>"'\\`*_~[\]!|$#]/g;

/**
 * `s` as literal text inside Markdown (a table cell, a line of prose): HTML
 * becomes entities (raw HTML in Markdown is rendered, so `<img onerror=…>` would
 * run) and markdown punctuation become numeric character references, and line
 * breaks become spaces so that a table row stays one line. References rather
 * than backslashes, because renderers disagree on backslashes: nbconvert's
 * mistune splits a table header at `\|` and prints `\$` as is, while every
 * renderer shows `&#124;` as `|` without splitting a cell.
 */
export function escapeMarkdown(s: string): string {
  // One pass, so that no reference written here is escaped again.
  return s.replace(MARKDOWN_SPECIALS, (c) => `&#${c.charCodeAt(0)};`).replace(/\r\n|\r|\n/g, ' ');
}
