/**
 * Checks of the conformance suite itself (not of uvts): every scenario is
 * valid against the schema and has an expectation in both profiles, the
 * trace helpers behave, and the uvts driver reproduces one recorded trace
 * end to end. The full suite runs with `npm run conformance`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROFILES, type Scenario } from '../conformance/lib/scenario.js';
import { SchemaChecker } from '../conformance/lib/schema-check.js';
import {
  firstDifference,
  loadExpected,
  parseTrace,
  recordedHeader,
  renderDiff,
} from '../conformance/lib/trace.js';

const conformanceDir = fileURLToPath(new URL('../conformance/', import.meta.url));
const scenarioDir = join(conformanceDir, 'scenarios');
const expectedDir = join(conformanceDir, 'expected');
const scenarioFiles = readdirSync(scenarioDir).filter((entry) => entry.endsWith('.json'));

test('there are at least 80 scenarios', () => {
  assert.ok(scenarioFiles.length >= 80, `only ${scenarioFiles.length} scenarios`);
});

test('every scenario is valid and named after its file', () => {
  const checker = SchemaChecker.forScenarios();
  for (const entry of scenarioFiles) {
    const data = JSON.parse(readFileSync(join(scenarioDir, entry), 'utf8')) as Parameters<
      SchemaChecker['validate']
    >[0];
    assert.deepEqual(checker.validate(data), [], entry);
    assert.equal((data as unknown as Scenario).name, basename(entry, '.json'));
  }
});

test('every scenario has an expected trace in both profiles', () => {
  for (const entry of scenarioFiles) {
    const name = basename(entry, '.json');
    for (const profile of PROFILES) {
      const trace = loadExpected(expectedDir, profile, name);
      assert.ok(trace !== undefined && trace.length > 0, `${profile}/${name}.trace`);
    }
  }
});

test('every expected trace starts by naming the libuv of its profile that recorded it', () => {
  for (const profile of PROFILES) {
    const header = new RegExp(`^# recorded from libuv ${profile.replace('.', '\\.')}\\.\\d+\n[^#]`);
    for (const entry of readdirSync(join(expectedDir, profile))) {
      if (!entry.endsWith('.trace')) continue;
      const text = readFileSync(join(expectedDir, profile, entry), 'utf8');
      assert.match(text, header, `${profile}/${entry}`);
    }
  }
});

test('the uvts driver imports uvts by its package name, so that it can run on the installed package', () => {
  const driverDir = join(conformanceDir, 'drivers', 'uvts');
  for (const entry of readdirSync(driverDir)) {
    const text = readFileSync(join(driverDir, entry), 'utf8');
    assert.doesNotMatch(text, /from '(\.\.\/)+src\//, `${entry}: import from 'uvts' instead`);
  }
});

test('the schema checker rejects typos and wrong types', () => {
  const checker = SchemaChecker.forScenarios();
  const problems = checker.validate({
    name: 'x',
    description: 'd',
    steps: [{ op: 'start', handle: 't', args: { timout: 5 } }, { op: 'run' }],
  });
  assert.ok(problems.some((problem) => problem.includes('unknown property "timout"')));
  assert.ok(problems.some((problem) => problem.includes('missing "args"')));
});

test('trace helpers: comments, first difference, diff', () => {
  assert.deepEqual(parseTrace('# c\nrun default\n\ncb t  \n'), ['run default', 'cb t']);
  assert.equal(recordedHeader('1.52.1'), '# recorded from libuv 1.52.1');
  assert.equal(firstDifference(['a', 'b'], ['a', 'b']), undefined);
  const difference = firstDifference(['a', 'b', 'c'], ['a', 'x']);
  assert.equal(difference?.line, 2);
  assert.equal(difference?.expected, 'b');
  assert.equal(difference?.actual, 'x');
  assert.equal(renderDiff(['a', 'b'], ['a', 'c']), '  a\n+ c\n- b');
});

test('the uvts driver reproduces the recorded close_order trace in both profiles', () => {
  const driver = join(conformanceDir, 'drivers', 'uvts', 'main.ts');
  for (const profile of PROFILES) {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', driver, '--profile', profile, join(scenarioDir, 'close_order.json')],
      { encoding: 'utf8', cwd: fileURLToPath(new URL('../', import.meta.url)) },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      parseTrace(result.stdout),
      loadExpected(expectedDir, profile, 'close_order'),
      profile,
    );
  }
});
