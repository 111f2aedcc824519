/**
 * The layer table of docs/architecture.md, enforced: every import in `src/`
 * goes *down* the table, never up or sideways into a folder its row does
 * not name. The table is written once, here, highest layer first.
 *
 * Also checked: other folders reach `errors/` only through its two facades
 * (`index.ts`, the public one, and `internal.ts`, the one for uvts's own
 * layers), and nothing imports `src/tools/` (the package's command-line
 * tools, which may import anything).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');

/** Each folder of `src/` and the folders it may import, highest layer first. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  fs: ['work', 'handles', 'requests', 'loop', 'platform', 'errors'],
  dns: ['work', 'handles', 'requests', 'loop', 'platform', 'errors'],
  work: ['handles', 'requests', 'loop', 'thread', 'errors'],
  handles: ['loop', 'requests', 'platform', 'errors'],
  requests: ['loop', 'errors'],
  loop: ['errors'],
  util: ['platform', 'errors'],
  thread: ['errors'],
  platform: ['errors'],
  errors: [],
};

/** The top folder of the package's command-line tools: it may import anything, nothing imports it. */
const TOOLS = 'tools';
/** The modules of `errors/` that other folders may import. */
const ERRORS_FACADES = new Set(['errors/index.ts', 'errors/internal.ts']);

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(directory)) {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) files.push(...sourceFiles(full));
    else if (name.endsWith('.ts')) files.push(full);
  }
  return files;
}

/** Every relative module specifier of a file: imports, re-exports and dynamic imports. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const match of text.matchAll(pattern)) specifiers.push(match[1] as string);
  return specifiers;
}

/** `handles/tcp.ts` → `handles`; a file directly in `src/` → `''`. */
function folderOf(relative: string): string {
  const slash = relative.indexOf('/');
  return slash === -1 ? '' : relative.slice(0, slash);
}

interface Edge {
  readonly from: string;
  readonly to: string;
}

function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const specifier of relativeImports(file)) {
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      edges.push({
        from: path.relative(SRC, file).split(path.sep).join('/'),
        to: path.relative(SRC, target).split(path.sep).join('/'),
      });
    }
  }
  return edges;
}

describe('layers', () => {
  const edges = importEdges();

  test('the source tree has imports to check', () => {
    assert.ok(edges.length > 50, `only ${edges.length} imports found`);
  });

  test('every folder of src/ is in the layer table', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(path.join(SRC, name)).isDirectory());
    const unknown = folders.filter((name) => !(name in LAYERS) && name !== TOOLS);
    assert.deepEqual(unknown, [], 'add the folder to LAYERS here and to docs/architecture.md');
  });

  test('no import goes up the layer table', () => {
    const upward: string[] = [];
    for (const { from, to } of edges) {
      const source = folderOf(from);
      const target = folderOf(to);
      if (target.startsWith('..')) upward.push(`${from} imports ${to} (outside src/)`);
      // Files at the top of src/ (the package's entry points) and the tools
      // sit above every layer.
      if (source === '' || source === TOOLS || source === target) continue;
      if (target === '' || !(LAYERS[source] ?? []).includes(target))
        upward.push(`${from} imports ${to}`);
    }
    assert.deepEqual(upward, []);
  });

  test('nothing imports src/tools/', () => {
    const intoTools = edges.filter(
      ({ from, to }) => folderOf(to) === TOOLS && folderOf(from) !== TOOLS,
    );
    assert.deepEqual(intoTools, []);
  });

  test('other folders reach errors/ through index.ts or internal.ts only', () => {
    const deep = edges.filter(
      ({ from, to }) =>
        folderOf(to) === 'errors' && folderOf(from) !== 'errors' && !ERRORS_FACADES.has(to),
    );
    assert.deepEqual(deep, []);
  });
});

// The repository's files cite its own docs (docs/semantics.md, docs/node.md,
// docs/architecture.md), never the shared notes outside it. The names are
// assembled here so that this file does not match itself.
const FOREIGN_NOTES = [
  'LIBUV_' + 'SEMANTICS',
  'NODE_' + 'NOTES',
  'DESIGN' + '.md',
  'LIBUV_TEST_' + 'CATALOG',
];
const CITING_PLACES = ['src', 'test', 'conformance', 'docs', 'bench', 'examples', 'README.md'];

function filesUnder(place: string): string[] {
  const full = path.join(ROOT, place);
  if (!statSync(full).isDirectory()) return [full];
  const files: string[] = [];
  for (const name of readdirSync(full)) {
    if (name === 'node_modules') continue;
    files.push(...filesUnder(path.join(place, name)));
  }
  return files;
}

test('no file cites notes outside the repository', () => {
  const citing: string[] = [];
  for (const place of CITING_PLACES) {
    for (const file of filesUnder(place)) {
      const text = readFileSync(file, 'utf8');
      for (const note of FOREIGN_NOTES) {
        if (text.includes(note)) citing.push(`${path.relative(ROOT, file)}: ${note}`);
      }
    }
  }
  assert.deepEqual(citing, []);
});
