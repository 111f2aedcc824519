/**
 * The `.trace.json` format that `uvts-trace` writes and its page reads.
 *
 * One document holds one program traced under one or two profiles. Each
 * traced process is a *run*: the loop trace events of every loop it created
 * (`docs/tracing.md`, "The events"), each tagged with its loop's number, and
 * interleaved, in the order they happened, with two kinds of records the
 * recorder adds around them:
 *
 * - `handle`: a handle's state changed (active, referenced, closing) or it
 *   finished closing, seen just before the event that follows. These draw
 *   the page's lanes; the loop itself reports no such events.
 * - `output`: the program wrote to stdout or stderr, so the page can show
 *   which callback printed what.
 *
 * A document can instead hold conformance traces (`lines` runs): the text
 * format of `docs/conformance.md`, one run per file.
 *
 * Everything in a document is data from someone else's program; the page
 * treats every string as text (see `trace-page.ts`).
 *
 * @module
 */
import type { TraceEvent } from '../loop/trace.js';

/** The value of a document's `format` field. */
export const TRACE_FORMAT = 'uvts-trace';
/** The version of the format described here. */
export const TRACE_FORMAT_VERSION = 1;

/** A loop trace event, tagged with the number of the loop that emitted it (1 = first created). */
export type LoopRecord = TraceEvent & { readonly loop: number };

/** A handle's state as the lanes show it; `closed` once its close callback phase is done. */
export interface HandleRecord {
  /** Discriminant. */
  readonly type: 'handle';
  /** The loop the handle belongs to. */
  readonly loop: number;
  /** The handle's type (`timer`, `tcp`, …). */
  readonly handleType: string;
  /** The handle's per-loop id. */
  readonly handleId: number;
  /** A label taken from `handle.data` (a string, or an object's string `name`). */
  readonly name?: string;
  /** `uv_is_active`. */
  readonly active: boolean;
  /** `uv_has_ref`. */
  readonly referenced: boolean;
  /** `uv_is_closing`. */
  readonly closing: boolean;
  /** The handle has left the loop (its close callback is due or has run). */
  readonly closed: boolean;
}

/** Text the program wrote. */
export interface OutputRecord {
  /** Discriminant. */
  readonly type: 'output';
  /** The loop that was running (or the last one created; 0 before any). */
  readonly loop: number;
  /** Which stream. */
  readonly stream: 'stdout' | 'stderr';
  /** The text, as written (truncated to {@link MAX_OUTPUT_CHARS}). */
  readonly text: string;
}

/** Any record of a run's `events`. */
export type RunRecord = LoopRecord | HandleRecord | OutputRecord;

/** The longest piece of output kept per write. */
export const MAX_OUTPUT_CHARS = 2000;

/** A loop the run created. */
export interface LoopInfo {
  /** Its number: 1 for the first loop the process created. */
  readonly loop: number;
  /** The profile it followed. */
  readonly profile: string;
}

/** One traced process. */
export interface EventRun {
  /** Discriminant. */
  readonly kind: 'events';
  /** What the page calls it (`libuv 1.44`). */
  readonly label: string;
  /** The profile requested for loops that did not choose one (`default`: none requested). */
  readonly profile: string;
  /** The loops, in creation order. */
  readonly loops: readonly LoopInfo[];
  /** Every record, in order. */
  readonly events: readonly RunRecord[];
  /** True when the recorder stopped keeping events (see {@link MAX_RECORDS}). */
  readonly truncated: boolean;
  /** How the process ended. */
  readonly exit: { readonly code: number | null; readonly signal: string | null };
}

/** One conformance trace (the text format of `docs/conformance.md`). */
export interface LinesRun {
  /** Discriminant. */
  readonly kind: 'lines';
  /** What the page calls it (`1.44 (recorded from libuv)`, a file name). */
  readonly label: string;
  /** The file it came from, as given. */
  readonly source: string;
  /** Its lines, comments and blank lines removed. */
  readonly lines: readonly string[];
}

/** Either kind of run. */
export type TraceRun = EventRun | LinesRun;

/** A `.trace.json` file. */
export interface TraceDocument {
  /** Always {@link TRACE_FORMAT}. */
  readonly format: typeof TRACE_FORMAT;
  /** {@link TRACE_FORMAT_VERSION}. */
  readonly version: number;
  /** The uvts version that wrote it. */
  readonly uvts: string;
  /** What was traced: the program as given on the command line, or a title. */
  readonly program: string;
  /** The program's arguments. */
  readonly args: readonly string[];
  /** One or two runs (two are shown side by side). */
  readonly runs: readonly TraceRun[];
}

/** The recorder keeps at most this many records per process, then marks the run truncated. */
export const MAX_RECORDS = 200_000;

/**
 * Checks the outline of a parsed `.trace.json` (format, version, runs of a
 * known kind) and returns it typed, or throws an `Error` saying what is
 * wrong. It does not vouch for the strings inside: the page escapes those.
 */
export function checkTraceDocument(value: unknown): TraceDocument {
  const fail = (why: string): never => {
    throw new Error(`not a uvts trace document: ${why}`);
  };
  if (typeof value !== 'object' || value === null) fail('not an object');
  const document = value as Partial<TraceDocument>;
  if (document.format !== TRACE_FORMAT) fail(`format is not "${TRACE_FORMAT}"`);
  if (document.version !== TRACE_FORMAT_VERSION)
    fail(`version ${String(document.version)} (this uvts reads ${TRACE_FORMAT_VERSION})`);
  if (!Array.isArray(document.runs) || document.runs.length === 0) fail('no runs');
  for (const run of document.runs as unknown[]) {
    const kind = (run as { kind?: unknown } | null)?.kind;
    if (kind === 'events') {
      if (!Array.isArray((run as EventRun).events)) fail('a run without events');
    } else if (kind === 'lines') {
      if (!Array.isArray((run as LinesRun).lines)) fail('a run without lines');
    } else {
      fail('a run of unknown kind');
    }
  }
  return document as TraceDocument;
}
