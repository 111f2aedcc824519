/**
 * Where the suite's files are.
 *
 * The runner and the uvts driver run in two forms: as TypeScript from a
 * repository checkout (`conformance/runner.ts`, through tsx), and compiled,
 * from the npm package (`dist/conformance/runner.js`, plain `node`). The
 * data (scenarios, expected traces, the schema and the Lua driver) exists
 * once, in the package's `conformance/` folder, which is the folder of the
 * TypeScript sources in a checkout and two levels above the compiled code.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder of this module's parent: `conformance/` or `dist/conformance/`. */
const CODE_DIR = new URL('../', import.meta.url);

/** True when the runner runs from its TypeScript sources (a checkout, through tsx). */
export const FROM_SOURCES = import.meta.url.endsWith('.ts');

const DATA_DIR = existsSync(new URL('scenario.schema.json', CODE_DIR))
  ? CODE_DIR
  : new URL('../../conformance/', CODE_DIR);

/** The package's (or checkout's) `conformance/` folder, with a trailing slash. */
export const CONFORMANCE_DIR = fileURLToPath(DATA_DIR);

/** The package root (the repository root in a checkout); drivers run there. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', DATA_DIR));

/** A path inside `conformance/`, e.g. `conformancePath('scenarios/')`. */
export function conformancePath(relative: string): string {
  return fileURLToPath(new URL(relative, DATA_DIR));
}

/**
 * A module of the runner's own code (a driver's entry, say) by its path
 * relative to `conformance/` without extension: `.ts` from the sources,
 * `.js` when compiled.
 */
export function codePath(relative: string): string {
  return fileURLToPath(new URL(`${relative}${FROM_SOURCES ? '.ts' : '.js'}`, CODE_DIR));
}
