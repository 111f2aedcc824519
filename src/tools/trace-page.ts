/**
 * Builds the self-contained HTML page of a trace document.
 *
 * The page must open from a `file://` URL on a machine without network, so
 * everything is inline: the style sheet (`trace-page-style.ts`), the script
 * (the three files of `page/`, concatenated into one function) and the
 * trace itself. The trace is someone else's data and is never evaluated:
 *
 * - it sits in a `<script type="application/json">` block, which browsers do
 *   not run, with every `<`, `>`, `&` and line separator written as a JSON
 *   `\u` escape, so no string inside can close the block or open a tag;
 * - the page reads it with `JSON.parse` and shows every string through text
 *   nodes (`page/viewer.js`);
 * - a Content-Security-Policy allows only the page's own script and style,
 *   by hash, and no network at all, so even a mistake in the escaping could
 *   not run a script or load anything.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TraceDocument } from './trace-document.js';
import { TRACE_PAGE_STYLE } from './trace-page-style.js';

/**
 * Where the page's script files are: `src/tools/page/` of the package, from
 * the sources (`src/tools/`) and from the build (`dist/tools/`) alike. They
 * are browser scripts, not part of the Node build; the package ships them as
 * they are (package.json `files`).
 */
const PAGE_FOLDER = new URL('../../src/tools/page/', import.meta.url);
/** The page's script files, in the order they are concatenated (see page/model.js). */
const SCRIPT_FILES = ['model.js', 'diagram.js', 'viewer.js'];

let pageScript: string | null = null;

/** The page's script: the three parts inside one strict-mode function. */
function script(): string {
  if (pageScript === null) {
    const parts = SCRIPT_FILES.map((name) =>
      readFileSync(new URL(name, PAGE_FOLDER), 'utf8').replace(/^\/\/ @ts-check\n/, ''),
    );
    pageScript = `(function () {\n'use strict';\n${parts.join('\n')}\n})();\n`;
  }
  return pageScript;
}

/**
 * JSON that is safe inside an HTML `<script>` element: no `<`, `>` or `&`
 * (so no `</script>` or `<!--`), and no U+2028/U+2029.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (character) => {
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Escapes text for an HTML text node or a double-quoted attribute. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The complete HTML page for `document`. */
export function renderTracePage(document: TraceDocument): string {
  const code = script();
  const style = TRACE_PAGE_STYLE;
  const policy = [
    "default-src 'none'",
    `script-src ${sha256(code)}`,
    `style-src ${sha256(style)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>uvts-trace: ${escapeHtml(document.program)}</title>
<style>${style}</style>
</head>
<body>
<main id="viewer"></main>
<noscript><p>This trace page needs JavaScript to draw the timeline.</p></noscript>
<script type="application/json" id="uvts-trace-data">${jsonForScriptElement(document)}</script>
<script>${code}</script>
</body>
</html>
`;
}

/** The size in bytes of the page without any trace: the viewer's own weight. */
export function pageOverheadBytes(): number {
  return Buffer.byteLength(script()) + Buffer.byteLength(TRACE_PAGE_STYLE);
}
