#!/usr/bin/env node
// The API reference check (`npm run docs:check`, part of `npm test`).
//
// It converts the public API with TypeDoc exactly as `npm run docs` does
// (typedoc.json: the package's two entry points, every export documented,
// links resolved, warnings are errors) without writing the HTML, and then
// checks that no name from inside the package leaks into the reference: a
// type the reference mentions must be one it documents, one of the
// JavaScript or Node built-ins, or one of the base classes below, which the
// public classes extend but users never name (TypeDoc shows them, unlinked,
// in the class hierarchy).
import { Application, ReflectionKind } from 'typedoc';

const started = Date.now();
const BASE_CLASSES = new Set(['LoopPhases', 'LoopState', 'LoopWatcher', 'StreamRequest']);

const app = await Application.bootstrapWithPlugins({ options: 'typedoc.json' });
const project = await app.convert();
if (project === undefined) {
  process.stderr.write('api reference: TypeDoc could not convert the project\n');
  process.exit(1);
}
app.validate(project);

// Every reference to a type the reference does not document, by name.
const foreign = new Map();
const json = app.serializer.projectToObject(project, process.cwd());
(function walk(node, where) {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, where);
    return;
  }
  const here = typeof node.name === 'string' && typeof node.kind === 'number' ? node.name : where;
  if (node.type === 'reference' && typeof node.target !== 'number') {
    const places = foreign.get(node.name) ?? new Set();
    places.add(here);
    foreign.set(node.name, places);
  }
  for (const value of Object.values(node)) walk(value, here);
})(json, 'uvts');

const leaks = [];
for (const [name, places] of foreign) {
  if (BASE_CLASSES.has(name) || name in globalThis || isLibraryType(name)) continue;
  leaks.push(`${name} (in ${[...places].slice(0, 5).join(', ')})`);
}
const documented = project.getReflectionsByKind(ReflectionKind.All).length;
const problems = app.logger.errorCount + app.logger.warningCount + leaks.length;
for (const leak of leaks) process.stderr.write(`api reference: internal name leaks: ${leak}\n`);
process.stdout.write(
  `api reference: ${documented} reflections, ${app.logger.warningCount} warning(s), ` +
    `${leaks.length} leak(s) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
process.exit(problems === 0 ? 0 : 1);

/** Types of TypeScript's libraries and @types/node that are not globals. */
function isLibraryType(name) {
  return /^(Readonly|Record|Partial|Required|Pick|Omit|Parameters|ReturnType|Iterable|IterableIterator|Iterator|Generator|ArrayLike|ArrayBufferLike|PromiseLike|CallSite|Buffer|NodeJS\..*|ErrorOptions)$/.test(
    name,
  );
}
