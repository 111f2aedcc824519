/**
 * Reading and comparing traces.
 *
 * A trace is a list of lines. Expected trace files start with a comment line
 * that names the libuv which recorded them (`# recorded from libuv 1.52.1`);
 * lines starting with '#' are not part of the trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from './scenario.js';

/** The first line of an expected trace file recorded from `libuvVersion`. */
export function recordedHeader(libuvVersion: string): string {
  return `# recorded from libuv ${libuvVersion}`;
}

/** Splits driver output or a file into trace lines (no comments, no blanks). */
export function parseTrace(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Where the expected trace of a scenario lives for a profile. */
export function expectedPath(expectedRoot: string, profile: Profile, scenario: string): string {
  return join(expectedRoot, profile, `${scenario}.trace`);
}

/**
 * Loads the expected trace of a scenario. Returns undefined when there is no
 * expectation for that profile.
 */
export function loadExpected(
  expectedRoot: string,
  profile: Profile,
  scenario: string,
): string[] | undefined {
  const path = expectedPath(expectedRoot, profile, scenario);
  if (!existsSync(path)) return undefined;
  return parseTrace(readFileSync(path, 'utf8'));
}

/** The first point where two traces differ, with a little context. */
export interface TraceDifference {
  /** 1-based line number of the first difference. */
  line: number;
  expected: string | undefined;
  actual: string | undefined;
  /** Lines both traces share just before the difference. */
  before: string[];
  /** The next lines of each trace after the difference. */
  expectedAfter: string[];
  actualAfter: string[];
}

const CONTEXT_LINES = 3;

/** Compares two traces; undefined means identical. */
export function firstDifference(
  expected: readonly string[],
  actual: readonly string[],
): TraceDifference | undefined {
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i += 1) {
    if (expected[i] !== actual[i]) {
      return {
        line: i + 1,
        expected: expected[i],
        actual: actual[i],
        before: expected.slice(Math.max(0, i - CONTEXT_LINES), i),
        expectedAfter: expected.slice(i + 1, i + 1 + CONTEXT_LINES),
        actualAfter: actual.slice(i + 1, i + 1 + CONTEXT_LINES),
      };
    }
  }
  return undefined;
}

/** Renders a difference for the runner's failure report. */
export function describeDifference(difference: TraceDifference): string {
  const show = (line: string | undefined): string => line ?? '<end of trace>';
  const out: string[] = [`first difference at line ${difference.line}:`];
  for (const line of difference.before) out.push(`    ${line}`);
  out.push(`  - ${show(difference.expected)}    (expected)`);
  out.push(`  + ${show(difference.actual)}    (actual)`);
  if (difference.expectedAfter.length > 0 || difference.actualAfter.length > 0) {
    out.push(`  expected continues: ${difference.expectedAfter.join(' | ') || '<end>'}`);
    out.push(`  actual continues:   ${difference.actualAfter.join(' | ') || '<end>'}`);
  }
  return out.join('\n');
}

/** A plain line diff (for --check-recorded): every line of both, marked. */
export function renderDiff(expected: readonly string[], actual: readonly string[]): string {
  // A longest-common-subsequence diff: traces are short, so the quadratic
  // table is cheap and the output reads like `diff -u` without the headers.
  const n = expected.length;
  const m = actual.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      const row = table[i] as number[];
      row[j] =
        expected[i] === actual[j]
          ? ((table[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((table[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) {
      out.push(`  ${expected[i]}`);
      i += 1;
      j += 1;
    } else if (
      j < m &&
      (i >= n ||
        ((table[i] as number[])[j + 1] as number) >= ((table[i + 1] as number[])[j] as number))
    ) {
      out.push(`+ ${actual[j]}`);
      j += 1;
    } else {
      out.push(`- ${expected[i]}`);
      i += 1;
    }
  }
  return out.join('\n');
}
