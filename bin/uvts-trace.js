#!/usr/bin/env node
// `uvts-trace`: traces a program's loops and draws them (src/tools/trace-cli.ts).
//
// Runs with plain Node from the built package (dist/); in a repository
// checkout, run `npm run build` first.
let cli;
try {
  cli = await import('../dist/tools/trace-cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write(
    'uvts-trace: dist/ is missing; in a uvts checkout, run `npm run build` first\n',
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
