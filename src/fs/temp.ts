/**
 * mkdtemp and mkstemp: a new directory or file whose name is a template
 * with its last six characters, `XXXXXX`, replaced.
 *
 * libuv calls the C library's `mkdtemp` and `mkostemp`. Node has no
 * mkstemp, and its `mkdtemp` takes a prefix (and warns when the prefix
 * ends in `X`), so uvts does what glibc does, in both: check that the
 * template ends in `XXXXXX` (EINVAL otherwise), fill those six characters
 * from `[A-Za-z0-9]`, and create the entry exclusively — `mkdir` with mode
 * 0700, or `open` with `O_RDWR | O_CREAT | O_EXCL` and mode 0600 (Node adds
 * `O_CLOEXEC`, as `mkostemp(…, O_CLOEXEC)` does) — trying another name
 * after EEXIST, at most 62³ times. Any other error ends it.
 *
 * The request's path follows libuv too: after mkdtemp it is the name made
 * (or, after a failure past the template check, the last name tried, which
 * glibc leaves in the template); after a failed mkstemp it is `''`.
 *
 * @module
 */
import { randomFillSync } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { StatusCode, UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { toPath } from './arguments.js';
import type { FSCallback, FSRequest } from './fs-request.js';
import { perform } from './fs-request.js';
import type { FsJob } from './operation.js';
import type { Step, StepAlgorithm } from './steps.js';
import { step, stepsJob } from './steps.js';

const PLACEHOLDER = 'XXXXXX';
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** glibc's `TMP_MAX`: how many names it tries. */
const ATTEMPTS = 62 ** 3;

/** What mkstemp gives: the open descriptor (read-write) and the name it made. */
export interface TempFile {
  /** The new file's descriptor, open for reading and writing. */
  readonly fd: number;
  /** The new file's path. */
  readonly path: string;
}

function randomName(template: string): string {
  const bytes = new Uint8Array(PLACEHOLDER.length);
  randomFillSync(bytes);
  let suffix = '';
  for (const byte of bytes) suffix += LETTERS[byte % LETTERS.length];
  return template.slice(0, -PLACEHOLDER.length) + suffix;
}

function isExists(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EEXIST';
}

/**
 * The shared algorithm: names tried in turn, each created by `create`, until
 * one does not exist yet. The job's path follows the names.
 */
function* makeUnique<T>(
  self: FsJob<T>,
  template: string,
  syscall: 'mkdtemp' | 'mkstemp',
  create: (name: string) => Step<unknown>,
  made: (name: string, value: unknown) => T,
): StepAlgorithm<T> {
  if (!template.endsWith(PLACEHOLDER)) throw new UVError(StatusCode.EINVAL, { syscall });
  for (let attempt = 1; ; attempt++) {
    const name = randomName(template);
    self.path = name;
    try {
      return made(name, yield create(name));
    } catch (error) {
      if (!isExists(error) || attempt === ATTEMPTS) throw error;
    }
  }
}

/**
 * Creates a directory with a unique name from `template`, whose last six
 * characters must be `XXXXXX` (`uv_fs_mkdtemp`), with mode 0700, and gives
 * its path.
 */
export function mkdtemp(loop: Loop, template: string): string;
export function mkdtemp(
  loop: Loop,
  template: string,
  callback: FSCallback<string>,
): FSRequest<string>;
export function mkdtemp(
  loop: Loop,
  template: unknown,
  callback?: unknown,
): string | FSRequest<string> {
  const pattern = toPath(template, 'template', 'mkdtemp');
  const fsJob = stepsJob<string>(pattern, null, (self) =>
    makeUnique(
      self,
      pattern,
      'mkdtemp',
      (name) =>
        step(
          () => nodeFs.mkdirSync(name, 0o700),
          (done) => nodeFs.mkdir(name, 0o700, (error) => done(error)),
        ),
      (name) => name,
    ),
  );
  return perform(loop, 'mkdtemp', fsJob, callback);
}

/**
 * Creates and opens a file with a unique name from `template`, whose last
 * six characters must be `XXXXXX` (`uv_fs_mkstemp`), with mode 0600, and
 * gives its descriptor and path.
 */
export function mkstemp(loop: Loop, template: string): TempFile;
export function mkstemp(
  loop: Loop,
  template: string,
  callback: FSCallback<TempFile>,
): FSRequest<TempFile>;
export function mkstemp(
  loop: Loop,
  template: unknown,
  callback?: unknown,
): TempFile | FSRequest<TempFile> {
  const pattern = toPath(template, 'template', 'mkstemp');
  const flags = nodeFs.constants.O_RDWR | nodeFs.constants.O_CREAT | nodeFs.constants.O_EXCL;
  const fsJob = stepsJob<TempFile>(pattern, null, function* (self) {
    try {
      return yield* makeUnique(
        self,
        pattern,
        'mkstemp',
        (name) =>
          step(
            () => nodeFs.openSync(name, flags, 0o600),
            (done) => nodeFs.open(name, flags, 0o600, done),
          ),
        (name, fd) => ({ fd: fd as number, path: name }),
      );
    } catch (error) {
      // libuv's uv__fs_mkstemp clears the template on every failure.
      self.path = '';
      throw error;
    }
  });
  return perform(loop, 'mkstemp', fsJob, callback);
}
