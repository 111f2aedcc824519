#!/usr/bin/env node
// `uvts-conformance`: runs the libuv conformance suite (conformance/runner.ts).
//
// The runner and the uvts driver are TypeScript and run from a repository
// checkout through tsx, a dev dependency. This launcher resolves tsx from its
// own location rather than from the current directory, so the bin works from
// anywhere, and hands the absolute loader URL to Node's --import. The runner
// passes its own execArgv on to the uvts driver, which is how the driver
// (conformance/drivers/uvts/main.ts, found next to the runner) loads the
// TypeScript sources of src/ too.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('../conformance/runner.ts', import.meta.url));

let tsxLoader;
try {
  tsxLoader = import.meta.resolve('tsx');
} catch {
  process.stderr.write(
    'uvts-conformance: tsx is not installed; run `npm ci` in the uvts checkout first\n',
  );
  process.exit(2);
}

const result = spawnSync(
  process.execPath,
  ['--import', tsxLoader, runner, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
if (result.error) {
  process.stderr.write(`uvts-conformance: ${result.error.message}\n`);
  process.exit(2);
}
process.exit(result.status ?? 2);
