/**
 * The repository cites its own documents by number: libuv's rules as
 * "docs/semantics.md rule 7.15" (or §7.C for a group of rules), Node's
 * measured facts as "docs/node.md Q8", and the differences from libuv by
 * their row in docs/deviations.md ("docs/deviations.md S4"). These tests
 * read every source, test, scenario and document and fail on a citation
 * that points nowhere, so that renaming or renumbering cannot leave stale
 * references behind. The traces shown in docs/semantics.md are checked
 * against the recorded ones in docs/traces/expected as well.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** Folders and files whose text may cite the documents. */
const scanned = ['src', 'test', 'conformance', 'docs', 'bench', 'examples', 'README.md'];
const textExtensions = new Set(['.ts', '.js', '.mjs', '.json', '.md', '.lua', '.trace', '.sh']);
/** Recorded program output, not prose: it quotes whatever the programs print. */
const skippedFolders = new Set(['node_modules', join('docs', 'traces', 'expected')]);

function listFiles(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  if (skippedFolders.has(path)) return [];
  return readdirSync(full)
    .sort()
    .flatMap((name) => listFiles(join(path, name)));
}

const files = scanned
  .flatMap((path) => listFiles(path))
  .filter((path) => textExtensions.has(extname(path)));

interface Citation {
  file: string;
  line: number;
  text: string;
}

/** Every match of `pattern` in the scanned files, with the captured group. */
function citations(pattern: RegExp): Citation[] {
  const found: Citation[] = [];
  for (const file of files) {
    read(file)
      .split('\n')
      .forEach((content, index) => {
        for (const match of content.matchAll(pattern)) {
          found.push({ file, line: index + 1, text: match[1] ?? match[0] });
        }
      });
  }
  return found;
}

function unresolved(list: Citation[], exists: (text: string) => boolean): string[] {
  return list
    .filter((citation) => !exists(citation.text))
    .map((citation) => `${citation.file}:${citation.line}: ${citation.text}`);
}

/** The first captured group of every match of `pattern` in `text`. */
function captures(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1] ?? '');
}

const semantics = read('docs/semantics.md');
const ruleNumbers = new Set(captures(semantics, /<a id="rule-(\d+\.\d+)"><\/a>/g));
const sectionNumbers = new Set(captures(semantics, /^#{2,3} (\d+(?:\.[A-Z])?)[. ]/gm));
const nodeQuestions = new Set(captures(read('docs/node.md'), /<a id="(Q\d+)"><\/a>/g));
const deviationRows = new Set(captures(read('docs/deviations.md'), /^\| ([A-Z]\d+) \|/gm));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set(captures(markdown, /<a id="([^"]+)"><\/a>/g));
  for (const heading of captures(markdown, /^#+ (.+)$/gm)) anchors.add(slug(heading));
  return anchors;
}

describe('citations of docs/semantics.md', () => {
  test('the document numbers its rules 1.1 to 10.11 without gaps', () => {
    const sizes: Record<number, number> = {
      1: 40,
      2: 9,
      3: 16,
      4: 8,
      5: 7,
      6: 10,
      7: 31,
      8: 40,
      9: 3,
      10: 11,
    };
    const expected = Object.entries(sizes).flatMap(([section, size]) =>
      Array.from({ length: size }, (_, index) => `${section}.${index + 1}`),
    );
    for (const rule of expected) assert.ok(ruleNumbers.has(rule), `rule ${rule} is missing`);
  });

  test('every "rule N.M" and "rules N.M-N.K" cited exists', () => {
    // "rule 7.15", "rules 1.22–1.25", "rules 6.1/6.5", "rules 4.1, 4.3 and 4.4".
    const lists = citations(/\brules? (\d+\.\d+(?:\s*(?:,|\/|–|-|and|or)\s*\d+\.\d+)*)/g);
    const single = lists.flatMap((citation) =>
      [...citation.text.matchAll(/\d+\.\d+/g)].map((m) => ({ ...citation, text: m[0] })),
    );
    assert.ok(single.length > 100, `only ${single.length} rule citations found`);
    assert.deepEqual(
      unresolved(single, (rule) => ruleNumbers.has(rule)),
      [],
    );
  });

  test('every §N, §N.X and §N.M cited exists', () => {
    const cited = citations(/§ ?(\d+(?:\.(?:\d+|[A-Z]))?)/g);
    assert.deepEqual(
      unresolved(cited, (text) =>
        /\.\d+$/.test(text) ? ruleNumbers.has(text) : sectionNumbers.has(text),
      ),
      [],
    );
  });

  test('every rule a conformance scenario names in origin.rules exists', () => {
    const missing: string[] = [];
    for (const file of files.filter((path) => path.startsWith(join('conformance', 'scenarios')))) {
      const scenario = JSON.parse(read(file)) as { origin?: { rules?: string[] } };
      for (const rule of scenario.origin?.rules ?? []) {
        if (!ruleNumbers.has(rule)) missing.push(`${basename(file)}: ${rule}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('citations of docs/node.md and docs/deviations.md', () => {
  test('docs/node.md has Q1 to Q13', () => {
    for (let q = 1; q <= 13; q++) assert.ok(nodeQuestions.has(`Q${q}`), `Q${q} is missing`);
  });

  test('every "docs/node.md Qn" cited exists', () => {
    const cited = citations(/node\.md`?,? (Q\d+)/g);
    assert.deepEqual(
      unresolved(cited, (q) => nodeQuestions.has(q)),
      [],
    );
  });

  test('every docs/deviations.md row cited exists', () => {
    const cited = [
      ...citations(/deviations\.md`?,?(?: row)? ([A-Z]\d+)\b/g),
      ...citations(/\bdeviation ([A-Z]\d+)\b/g),
    ];
    assert.deepEqual(
      unresolved(cited, (row) => deviationRows.has(row)),
      [],
    );
  });

  test('every docs/<file>.md#anchor cited exists', () => {
    const cited = citations(/docs\/([\w-]+\.md#[\w.-]*[\w-])/g);
    assert.deepEqual(
      unresolved(cited, (text) => {
        const [file = '', anchor = ''] = text.split('#');
        return anchorsOf(read(join('docs', file))).has(anchor);
      }),
      [],
    );
  });
});

describe('the traces shown in docs/semantics.md', () => {
  const traceDir = join('docs', 'traces');
  const programs = readdirSync(join(root, traceDir))
    .filter((name) => name.endsWith('.lua'))
    .map((name) => basename(name, '.lua'));

  /** The recorded output of a program on one libuv version, without its version line. */
  function recorded(name: string, version: '1.44' | '1.52'): string[] {
    const lines = read(join(traceDir, 'expected', version, `${name}.txt`))
      .trimEnd()
      .split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^libuv ${version.replace('.', '\\.')}\\.\\d+$`));
    return lines.slice(1);
  }

  /** The first ```text block after the "**Trace** ([`docs/traces/NAME.lua`]" line. */
  function shown(name: string): string[] {
    const marker = semantics.indexOf(`**Trace** ([\`docs/traces/${name}.lua\`]`);
    assert.ok(marker >= 0, `docs/semantics.md does not show ${name}.lua`);
    const block = /```text\n([\s\S]*?)```/.exec(semantics.slice(marker));
    assert.ok(block, `no trace block after ${name}.lua`);
    return (block[1] ?? '').trimEnd().split('\n');
  }

  function trimTrailingEmpty(lines: string[]): string[] {
    const copy = [...lines];
    while (copy.length > 0 && copy[copy.length - 1] === '') copy.pop();
    return copy;
  }

  for (const name of programs) {
    test(`${name}.lua: shown as libuv printed it`, () => {
      const old = recorded(name, '1.44');
      const current = recorded(name, '1.52');
      const lines = shown(name);
      const header = lines[0] ?? '';
      if (/^libuv 1\.44\.2 +libuv 1\.52\.1$/.test(header)) {
        const column = header.indexOf('libuv 1.52.1');
        const rows = lines.slice(1);
        assert.deepEqual(trimTrailingEmpty(rows.map((row) => row.slice(0, column).trimEnd())), old);
        assert.deepEqual(
          trimTrailingEmpty(rows.map((row) => row.slice(column).trimEnd())),
          current,
        );
      } else if (header === 'libuv 1.44.2') {
        const split = lines.indexOf('libuv 1.52.1');
        assert.deepEqual(lines.slice(1, split), old);
        assert.deepEqual(lines.slice(split + 1), current);
      } else {
        assert.deepEqual(old, current, 'the versions differ: show both');
        assert.deepEqual(lines, old);
      }
    });
  }

  test('every trace program was recorded on both versions', () => {
    for (const name of programs) {
      for (const version of ['1.44', '1.52']) {
        const path = join(traceDir, 'expected', version, `${name}.txt`);
        assert.ok(existsSync(join(root, path)), `${path} is missing`);
      }
    }
  });
});
