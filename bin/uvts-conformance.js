#!/usr/bin/env node
// `uvts-conformance`: runs the libuv conformance suite.
//
// Installed from npm, the runner and the uvts driver are compiled JavaScript
// (dist/conformance/) and run with plain Node; the uvts driver imports the
// package's own dist/src/. In a repository checkout where `npm ci` was run,
// the bin runs the TypeScript sources instead (conformance/runner.ts through
// tsx, a dev dependency), so that edits count without a build: it resolves
// tsx from its own location and hands the absolute loader URL to Node's
// --import, and the runner passes its execArgv on to the uvts driver.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sources = fileURLToPath(new URL('../conformance/runner.ts', import.meta.url));
const compiled = new URL('../dist/conformance/runner.js', import.meta.url);

function tsxLoader() {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return undefined;
  }
}

const loader = existsSync(sources) ? tsxLoader() : undefined;
if (loader !== undefined) {
  const result = spawnSync(
    process.execPath,
    ['--import', loader, sources, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  if (result.error) {
    process.stderr.write(`uvts-conformance: ${result.error.message}\n`);
    process.exit(2);
  }
  process.exit(result.status ?? 2);
} else if (existsSync(compiled)) {
  // The runner reads process.argv and exits by itself.
  await import(compiled.href);
} else {
  process.stderr.write(
    'uvts-conformance: neither the compiled runner (dist/) nor tsx is available; ' +
      'run `npm ci` (checkout) or `npm run build`\n',
  );
  process.exit(2);
}
