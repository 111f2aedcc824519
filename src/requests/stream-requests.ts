/**
 * The stream requests: connect (`uv_connect_t`), write (`uv_write_t`) and
 * shutdown (`uv_shutdown_t`). They carry what the stream needs to finish
 * them; the logic that decides *when* they finish lives in the stream.
 *
 * @module
 */
import type { UVError } from '../errors/index.js';
import type { Bivariant, LoopHandle } from '../loop/types.js';
import type { Loop } from '../loop/loop.js';
import { Request } from './request.js';

/**
 * The callback of a connect, write or shutdown request: the handle, then the
 * error (`null` on success). Bivariant in the handle (see `Bivariant`).
 */
export type StreamRequestCallback<H> = Bivariant<(handle: H, error: UVError | null) => void>;

/** The common shape of the three stream requests. */
abstract class StreamRequest<H extends LoopHandle> extends Request {
  /** The stream the request belongs to. */
  readonly handle: H;
  /** @internal The user's callback, if any. */
  readonly callback: StreamRequestCallback<H> | null;

  /** @internal */
  constructor(loop: Loop, handle: H, callback: StreamRequestCallback<H> | null) {
    super(loop);
    this.handle = handle;
    this.callback = callback;
  }
}

/** A connect request (`uv_connect_t`). */
export class ConnectRequest<H extends LoopHandle = LoopHandle> extends StreamRequest<H> {
  /** Always `'connect'`. */
  readonly type = 'connect';
}

/** A shutdown request (`uv_shutdown_t`). */
export class ShutdownRequest<H extends LoopHandle = LoopHandle> extends StreamRequest<H> {
  /** Always `'shutdown'`. */
  readonly type = 'shutdown';
}

/** A write request (`uv_write_t`). */
export class WriteRequest<H extends LoopHandle = LoopHandle> extends StreamRequest<H> {
  /** Always `'write'`. */
  readonly type = 'write';
  /** Total number of bytes of the request. */
  readonly size: number;
  /** @internal True once the bytes are with the kernel, or the write failed. */
  done = false;
  /** @internal The write's outcome, once `done`. */
  error: UVError | null = null;

  /** @internal */
  constructor(loop: Loop, handle: H, size: number, callback: StreamRequestCallback<H> | null) {
    super(loop, handle, callback);
    this.size = size;
  }
}
