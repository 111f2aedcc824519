#!/usr/bin/env node
// The API reference check (`npm run docs:check`, part of `npm test`).
//
// It converts the public API with TypeDoc exactly as `npm run docs` does
// (typedoc.json: the package's two entry points, every export documented,
// links resolved, warnings are errors) without writing the HTML, and then
// checks that no name from inside the package leaks into the reference.
//
// A type the reference mentions but does not document is one TypeDoc could
// not resolve to a reflection. It is fine when it comes from TypeScript's
// libraries or from Node's types (`Promise`, `Buffer`, `NodeJS.CallSite`):
// those are the platform. It is fine when it is the base class of a public
// class (`extends LoopWatcher`): TypeDoc shows it, unlinked, in the class
// hierarchy, its public members are documented on the subclasses, and users
// never name it. Any other type of ours is a leak: a public signature names
// a type that users cannot import or read about. uvts has no runtime
// dependencies, so a type of any other package is a leak as well.
//
// How to fix a failure: document the export (JSDoc on it and on each of its
// public members), or export the named type from src/index.ts (or from the
// module that src/index.ts re-exports, such as src/fs/index.ts) with its own
// JSDoc, or stop naming it in the public signature.
import { Application, ReflectionKind } from 'typedoc';

const started = Date.now();
/** Packages whose types a public signature may name. */
const PLATFORM_PACKAGES = new Set(['typescript', '@types/node', 'undici-types']);

const app = await Application.bootstrapWithPlugins({ options: 'typedoc.json' });
const project = await app.convert();
if (project === undefined) {
  process.stderr.write('api reference: TypeDoc could not convert the project\n');
  process.exit(1);
}
app.validate(project);

// Every reference to a type the reference does not document, by name, with
// the documented declarations that name it.
const leaks = new Map();
const baseClasses = new Set();
const json = app.serializer.projectToObject(project, process.cwd());
(function walk(node, where, key) {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, where, key);
    return;
  }
  const here = typeof node.name === 'string' && typeof node.kind === 'number' ? node.name : where;
  if (node.type === 'reference' && typeof node.target === 'object' && node.target !== null) {
    const from = node.target.packageName ?? node.package;
    if (from === 'uvts' && key === 'extendedTypes') {
      baseClasses.add(node.name);
    } else if (!PLATFORM_PACKAGES.has(from)) {
      const name = from === 'uvts' ? node.name : `${node.name} (from ${from})`;
      const places = leaks.get(name) ?? new Set();
      places.add(here);
      leaks.set(name, places);
    }
  }
  for (const [childKey, value] of Object.entries(node)) walk(value, here, childKey);
})(json, 'uvts', '');

for (const [name, places] of leaks) {
  process.stderr.write(
    `api reference: internal name leaks: ${name}, named by ${[...places].slice(0, 5).join(', ')}` +
      ' (export and document it, or stop naming it; see test/api-reference/check.mjs)\n',
  );
}
const documented = project.getReflectionsByKind(ReflectionKind.All).length;
const problems = app.logger.errorCount + app.logger.warningCount + leaks.size;
process.stdout.write(
  `api reference: ${documented} reflections, ${app.logger.warningCount} warning(s), ` +
    `${leaks.size} leak(s), undocumented base classes ${[...baseClasses].sort().join(', ') || 'none'}` +
    ` in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
process.exit(problems === 0 ? 0 : 1);
