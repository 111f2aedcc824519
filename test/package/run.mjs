#!/usr/bin/env node
// The packaging test (`npm run test:package`, run by .ci/run): uvts as the
// people who install it get it.
//
// It packs the package (`npm pack`, whose `prepack` builds dist/), looks at
// what the tarball holds (the build, the suite, no sources, source maps or
// pictures, a bounded size, links that resolve, no foreign citations,
// "sideEffects" that keep class patches), installs it into two temporary projects that hold
// nothing else from the repository (one ES module project, one CommonJS
// project), type-checks a program in each under `strict` against the
// published types and runs it (test/package/fixtures/), runs the installed
// `uvts-conformance` against the installed uvts (also with the minimal
// driver of docs/conformance.md and, when Lua is there, the shipped Lua
// driver), and runs the installed `uvts-trace`. TypeScript and
// Node's types come from the repository's node_modules, linked, so the test
// needs no network. Any failure makes the exit code 1.
//
// Usage: node test/package/run.mjs [--keep]   (--keep leaves the temporary folder)
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'uvts-package-'));

/**
 * Names of notes that are not part of the repository; the package must not
 * cite them. Spelled in pieces, as in test/layers.test.ts, so that this file
 * does not cite them either.
 */
const FOREIGN_CITATIONS = new RegExp(
  ['LIBUV_' + 'SEMANTICS', 'NODE_' + 'NOTES', 'DESIGN' + '\\.md', 'LIBUV_TEST_' + 'CATALOG'].join(
    '|',
  ),
);

/**
 * How big the package may be. The pictures of docs/images stay in the
 * repository (package.json "files" excludes them): they are 1.35 MB, four
 * times the rest of the package, and an installed library has no use for
 * them. Everything else is code, declarations, the conformance suite and
 * Markdown; the limits leave room for the handle types still to come (each
 * brings scenarios and traces) and fail when a large file slips in. If the
 * package must grow past them, raise them here and say why in the commit.
 */
const LIMITS = { packed: 1024 * 1024, unpacked: 4 * 1024 * 1024, file: 256 * 1024 };
/** Files that never ship: pictures, archives, native or editor leftovers. */
const NOT_SHIPPED = /\.(png|jpe?g|gif|webp|svg|ico|tgz|gz|zip|so|node|log|swp)$/i;
/** Where the pictures that the docs embed live (in the repository only). */
const REPOSITORY_ONLY = 'docs/images/';

let failures = 0;
const started = Date.now();

/** Runs one named check; a throw is a failure, reported with its message. */
function check(name, body) {
  const begin = Date.now();
  try {
    const detail = body();
    process.stdout.write(`ok - ${name}${detail ? `: ${detail}` : ''} (${Date.now() - begin} ms)\n`);
  } catch (error) {
    failures += 1;
    process.stdout.write(
      `not ok - ${name}\n${indent(error instanceof Error ? error.message : String(error))}\n`,
    );
  }
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** Runs a program; throws with the end of its output unless it exits with 0. */
function run(program, args, cwd, env = {}) {
  const result = spawnSync(program, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(
      `${program} ${args.join(' ')} exited with ${result.status} in ${cwd}:\n${output}`,
    );
  }
  return result.stdout;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// ---------------------------------------------------------------------------
// Pack

let tarball;
let packed;
check('npm pack builds and packs the package', () => {
  const output = run(npm, ['pack', '--json', '--pack-destination', work], ROOT);
  [packed] = JSON.parse(output.slice(output.indexOf('[')));
  tarball = join(work, packed.filename);
  return `${packed.filename}, ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked`;
});
if (packed === undefined) finish();

const files = packed.files.map((file) => file.path);
const shipped = new Set(files);

check('the tarball holds the build, the bin and the suite, and no sources or source maps', () => {
  const problems = [];
  for (const path of [
    'dist/index.js',
    'dist/index.d.ts',
    'dist/loop/async-sender.js',
    'dist/loop/async-sender.d.ts',
    'dist/conformance/runner.js',
    'dist/conformance/drivers/uvts/main.js',
    'bin/uvts-conformance.js',
    'conformance/scenario.schema.json',
    'conformance/drivers/luv.lua',
    'conformance/drivers/luv/core.lua',
    'README.md',
  ]) {
    if (!shipped.has(path)) problems.push(`missing: ${path}`);
  }
  const count = (folder, suffix) =>
    readdirSync(join(ROOT, folder)).filter((entry) => entry.endsWith(suffix)).length;
  const countShipped = (folder, suffix) =>
    files.filter((path) => path.startsWith(`${folder}/`) && path.endsWith(suffix)).length;
  for (const [folder, suffix] of [
    ['conformance/scenarios', '.json'],
    ['conformance/expected/1.44', '.trace'],
    ['conformance/expected/1.52', '.trace'],
  ]) {
    if (countShipped(folder, suffix) !== count(folder, suffix)) {
      problems.push(
        `${folder}: ${countShipped(folder, suffix)} of ${count(folder, suffix)} *${suffix} shipped`,
      );
    }
  }
  for (const path of files) {
    if (path.endsWith('.map')) problems.push(`source map: ${path}`);
    if (path.endsWith('.ts') && !path.endsWith('.d.ts'))
      problems.push(`TypeScript source: ${path}`);
    if (/^(test|bench)\//.test(path)) problems.push(`not for users: ${path}`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return `${countShipped('conformance/scenarios', '.json')} scenarios, ${countShipped('conformance/expected', '.trace')} recorded traces`;
});

check('the tarball stays small: no pictures, no large file', () => {
  const problems = [];
  if (packed.size > LIMITS.packed)
    problems.push(`packed ${packed.size} bytes, over the limit of ${LIMITS.packed}`);
  if (packed.unpackedSize > LIMITS.unpacked)
    problems.push(`unpacked ${packed.unpackedSize} bytes, over the limit of ${LIMITS.unpacked}`);
  for (const file of packed.files) {
    if (NOT_SHIPPED.test(file.path)) problems.push(`must not ship: ${file.path}`);
    else if (file.size > LIMITS.file)
      problems.push(`${file.path} is ${file.size} bytes, over the limit of ${LIMITS.file}`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return `${(packed.size / 1024).toFixed(0)} of ${LIMITS.packed / 1024} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} of ${LIMITS.unpacked / 1024} KiB unpacked`;
});

const extracted = join(work, 'extracted');
check('the shipped declarations and docs cite only what ships', () => {
  mkdirSync(extracted);
  run('tar', ['-xzf', tarball, '-C', extracted], work);
  const root = join(extracted, 'package');
  const broken = [];
  const foreign = [];
  for (const path of files) {
    if (!/\.(d\.ts|md)$/.test(path)) continue;
    const text = readFileSync(join(root, path), 'utf8');
    if (FOREIGN_CITATIONS.test(text)) foreign.push(path);
    if (!path.endsWith('.md')) continue;
    // Relative Markdown links must lead to a file of the package (code
    // blocks and spans are not links).
    const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    for (const [link, target] of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:|^#/.test(target)) continue;
      const file = posix
        .normalize(posix.join(posix.dirname(path), target.split('#')[0]))
        .replace(/\/$/, '');
      // A picture of docs/images is embedded from the repository's copy
      // (the installed docs show its alt text); it must still exist there.
      if (link.startsWith('!') && file.startsWith(REPOSITORY_ONLY)) {
        if (!existsSync(join(ROOT, file)))
          broken.push(`${path} embeds ${target}, which is missing`);
        continue;
      }
      if (!shipped.has(file) && !files.some((shippedPath) => shippedPath.startsWith(`${file}/`))) {
        broken.push(`${path} links to ${target}, which is not in the package`);
      }
    }
  }
  for (const path of foreign) broken.push(`${path} cites notes outside the package`);
  // Source maps do not ship, so no compiled file may point at one.
  for (const path of files) {
    if (!/\.(js|mjs|d\.ts)$/.test(path)) continue;
    if (/sourceMappingURL=/.test(readFileSync(join(root, path), 'utf8')))
      broken.push(`${path} points at a source map`);
  }
  if (broken.length > 0) throw new Error(broken.join('\n'));
  return `${files.filter((path) => /\.(d\.ts|md)$/.test(path)).length} files read`;
});

check('package.json "sideEffects" lists every module that patches a class when loaded', () => {
  // A bundler drops a module none of whose exports is used when the package
  // says it has no side effects; a module that adds a method to a class
  // (`Loop.prototype.queueWork = …`) must therefore be listed, or
  // `loop.queueWork` would vanish from a bundle that imports only `Loop`.
  const manifest = JSON.parse(readFileSync(join(extracted, 'package', 'package.json'), 'utf8'));
  const patching = files.filter(
    (path) =>
      path.startsWith('dist/') &&
      path.endsWith('.js') &&
      /^\w+\.prototype\.\w+\s*=/m.test(readFileSync(join(extracted, 'package', path), 'utf8')),
  );
  // Without the field (or with true) every module counts as having effects.
  const listed = Array.isArray(manifest.sideEffects)
    ? new Set(manifest.sideEffects.map((path) => posix.normalize(path)))
    : manifest.sideEffects === false
      ? new Set()
      : null;
  const missing = listed === null ? [] : patching.filter((path) => !listed.has(path));
  if (missing.length > 0) throw new Error(`not in "sideEffects": ${missing.join(', ')}`);
  return `${patching.length} listed`;
});

// ---------------------------------------------------------------------------
// Install into fresh projects

/** Copies a fixture project, installs the tarball into it and links the compiler and Node's types. */
function makeProject(kind) {
  const project = join(work, kind);
  cpSync(join(FIXTURES, kind), project, { recursive: true });
  run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--no-save', tarball], project);
  for (const name of ['typescript', '@types/node', 'undici-types']) {
    const target = join(ROOT, 'node_modules', name);
    if (!existsSync(target)) continue;
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
  return project;
}

function compileAndRun(project) {
  run(
    process.execPath,
    [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
    project,
  );
  return run(process.execPath, [join(project, 'out', 'main.js')], project).trim();
}

let esm;
check('ESM project: install, strict type-check against the published types, run', () => {
  esm = makeProject('esm');
  return compileAndRun(esm);
});

check('CommonJS project: install, strict type-check, run (require of the ES module)', () => {
  const cjs = makeProject('cjs');
  const output = compileAndRun(cjs);
  const required = run(
    process.execPath,
    [
      '-e',
      "const uvts = require('uvts'); const sender = require('uvts/async-sender');" +
        "const version = require('uvts/package.json').version;" +
        "if (typeof uvts.Loop !== 'function' || typeof sender.sendAsync !== 'function') process.exit(1);" +
        'console.log(`require: uvts ${version}`);',
    ],
    cjs,
  ).trim();
  return `${output}; ${required}`;
});

check('the installed uvts-conformance passes against the installed uvts', () => {
  if (esm === undefined) throw new Error('no ESM project');
  const output = run(npm, ['exec', '--offline', '--', 'uvts-conformance', '--impl', 'uvts'], esm);
  const summary = output.trim().split('\n').at(-1);
  if (!/ 0 failed/.test(summary)) throw new Error(output.split('\n').slice(-20).join('\n'));
  return summary;
});

check('the minimal driver of docs/conformance.md runs against the installed suite', () => {
  if (esm === undefined) throw new Error('no ESM project');
  // The documented example, taken from the installed docs, not from here.
  const docs = readFileSync(join(esm, 'node_modules', 'uvts', 'docs', 'conformance.md'), 'utf8');
  const example = /```js\n(\/\/ mini-driver\.mjs[\s\S]*?)```/.exec(docs);
  if (example === null) throw new Error('docs/conformance.md has no mini-driver.mjs example');
  const driver = join(esm, 'mini-driver.mjs');
  writeFileSync(driver, example[1]);
  const output = run(
    npm,
    [
      'exec',
      '--offline',
      '--',
      'uvts-conformance',
      '--impl',
      'none',
      '--driver',
      `mini@1.44,1.52=node ${driver}`,
      '--filter',
      '/^(timer|idle|check|prepare|close)/',
    ],
    esm,
  );
  const summary = output.trim().split('\n').at(-1);
  const passed = Number(/^(\d+) passed/.exec(summary)?.[1] ?? 0);
  if (!/ 0 failed/.test(summary) || passed < 10)
    throw new Error(output.split('\n').slice(-20).join('\n'));
  return summary;
});

check('the installed uvts-trace traces a teaching puzzle in both profiles', () => {
  if (esm === undefined) throw new Error('no ESM project');
  const puzzle = join(esm, 'node_modules', 'uvts', 'examples', 'teaching', 'close-lifo.js');
  const output = run(
    npm,
    ['exec', '--offline', '--', 'uvts-trace', puzzle, '--profile', 'both'],
    esm,
  );
  const problems = [];
  if ((output.match(/close callback of C/g) ?? []).length !== 2) {
    problems.push(`expected 'close callback of C' once per profile in:\n${output}`);
  }
  const html = readFileSync(join(esm, 'close-lifo.trace.html'), 'utf8');
  if (!html.includes('id="uvts-trace-data"')) problems.push('the page holds no trace data');
  const document = readFileSync(join(esm, 'close-lifo.trace.json'), 'utf8');
  JSON.parse(document);
  for (const label of ['libuv 1.44', 'libuv 1.52']) {
    if (!document.includes(label)) problems.push(`the trace has no run labelled ${label}`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return `${(html.length / 1024).toFixed(0)} KiB page`;
});

const luv = spawnSync('lua5.4', ['-e', 'require("luv")'], { encoding: 'utf8' });
if (luv.status === 0) {
  check('the installed uvts-conformance drives real libuv with the shipped Lua driver', () => {
    const output = run(
      npm,
      [
        'exec',
        '--offline',
        '--',
        'uvts-conformance',
        '--impl',
        'luv',
        '--profile',
        '1.44',
        '--filter',
        'timer',
      ],
      esm,
    );
    return output.trim().split('\n').at(-1);
  });
} else {
  process.stdout.write('skip - the shipped Lua driver: lua5.4 with luv is not installed\n');
}

finish();

function finish() {
  if (keep) process.stdout.write(`kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
  process.stdout.write(
    `${failures === 0 ? 'packaging test passed' : `packaging test FAILED (${failures})`} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  process.exit(failures === 0 ? 0 : 1);
}
