/**
 * The UDP operations of the uvts driver, the twin of the luv driver's
 * kinds/udp.lua: `bind`, `send`, `trySend`, receiving, `connect`, the
 * socket options, and the callbacks they pass to uvts with the trace lines
 * those callbacks print.
 *
 * No port reaches a scenario or a trace: `bind` binds port 0 (or the port
 * of another handle, `portOf`), `send` and `connect` name the handle to
 * reach (`to`), and a datagram's sender is printed as the name of the UDP
 * handle bound to its port when it arrives (`from c`, `from ?`).
 */
import { UDP } from 'uvts';
import type { SocketAddress, UVError } from 'uvts';
import type { Action, ActionArgs } from '../../lib/scenario.js';
import type { CallbackContext } from './callback-context.js';
import type { AnyHandle } from './handle-values.js';
import { ScenarioError } from './scenario-errors.js';
import { callbackArg } from './scenario-values.js';
import { formatData, writePayload } from './stream-format.js';

const LOOPBACK = '127.0.0.1';

/** What the UDP operations need from the interpreter that owns them. */
export interface UdpOperationsHost {
  /** Counts one call of `context.callback`, prints `line` unless muted, runs its actions. */
  invokeCallback(line: string, context: Omit<CallbackContext, 'count'>): void;
  /** Every handle of the scenario, by name. */
  handles(): ReadonlyMap<string, AnyHandle>;
}

/** The UDP operations of one scenario run. */
export class UdpOperations {
  /** The port every UDP handle bound, by scenario name; kept after it closes (a "port where nothing listens"). */
  private readonly ports = new Map<string, number>();

  /** Creates the operations for one run; `host` is the interpreter's side of the bargain. */
  constructor(private readonly host: UdpOperationsHost) {}

  /** Runs one UDP operation; returns what it returns beyond success (trySend's byte count). */
  run(
    op: Action['op'],
    udp: UDP,
    name: string,
    args: ActionArgs,
    context: CallbackContext | undefined,
  ): number | undefined {
    switch (op) {
      case 'bind': {
        const port = args.portOf === undefined ? 0 : this.portOf(args.portOf);
        udp.bind(
          args.any === true ? '0.0.0.0' : LOOPBACK,
          port,
          args.reuseAddr ? UDP.REUSEADDR : 0,
        );
        this.ports.set(name, udp.getsockname().port);
        return;
      }
      case 'send': {
        const data = this.payload(args, context);
        const target = this.destination(args, context);
        for (let i = 0; i < (args.times ?? 1); i += 1) {
          const callback = this.sendCallback(args, name);
          if (target === null) udp.send(data, callback);
          else udp.send(target.ip, target.port, data, callback);
        }
        return;
      }
      case 'trySend': {
        const data = this.payload(args, context);
        const target = this.destination(args, context);
        let sent = 0;
        for (let i = 0; i < (args.times ?? 1); i += 1) {
          sent = target === null ? udp.trySend(data) : udp.trySend(target.ip, target.port, data);
        }
        return sent;
      }
      case 'recvStart':
        (udp.startRecv as (cb: unknown) => void)(this.recvCallback(args, name));
        return;
      case 'recvStop':
        udp.stopRecv();
        return;
      case 'connect':
        udp.connect(LOOPBACK, this.portOf(args.to));
        return;
      case 'disconnect':
        udp.disconnect();
        return;
      case 'getsockname':
        udp.getsockname();
        return;
      case 'getpeername':
        udp.getpeername();
        return;
      case 'setTtl':
        udp.setTtl(args.ttl as number);
        return;
      case 'setMulticastTtl':
        udp.setMulticastTtl(args.ttl as number);
        return;
      case 'setBroadcast':
        udp.setBroadcast(args.on as boolean);
        return;
      case 'setMulticastLoop':
        udp.setMulticastLoop(args.on as boolean);
        return;
      case 'setMulticastInterface':
        udp.setMulticastInterface(args.address ?? null);
        return;
      case 'setMembership':
        udp.setMembership(
          args.group as string,
          args.address ?? null,
          args.membership === 'join' ? UDP.JOIN_GROUP : UDP.LEAVE_GROUP,
        );
        return;
      default:
        throw new ScenarioError(`operation ${op} does not apply to a udp handle`);
    }
  }

  /** The port of UDP handle `name`: the one it bound, or the one it has now (bound implicitly). */
  private portOf(name: string | undefined): number {
    const port = this.currentPort(name ?? '');
    if (port === null) throw new ScenarioError(`${String(name)} has no port`);
    return port;
  }

  private currentPort(name: string): number | null {
    const bound = this.ports.get(name);
    if (bound !== undefined) return bound;
    const handle = this.host.handles().get(name);
    if (!(handle instanceof UDP) || handle.closing || handle.closed) return null;
    try {
      return handle.getsockname().port;
    } catch {
      return null;
    }
  }

  /** The scenario name of the UDP handle whose port is `port`, or `?`. */
  private senderName(port: number): string {
    for (const [name, handle] of this.host.handles()) {
      if (handle instanceof UDP && this.currentPort(name) === port) return name;
    }
    return '?';
  }

  /** Where a send goes: `to`, `toSender`, or the connected peer (`null`). */
  private destination(
    args: ActionArgs,
    context: CallbackContext | undefined,
  ): { ip: string; port: number } | null {
    if (args.toSender === true) {
      const address = context?.address;
      if (address === undefined) throw new ScenarioError('toSender outside a receive callback');
      return { ip: address.address, port: address.port };
    }
    if (args.to !== undefined) return { ip: LOOPBACK, port: this.portOf(args.to) };
    return null;
  }

  private payload(args: ActionArgs, context: CallbackContext | undefined): Buffer {
    const data = writePayload(args, context?.data);
    if (data === undefined)
      throw new ScenarioError('send needs data, size, or echo inside a receive callback');
    return data;
  }

  /** A send callback: `cb <handle> send <result>` (or the callback's own name). */
  private sendCallback(
    args: ActionArgs,
    handleName: string,
  ): ((handle: unknown, error: UVError | null) => void) | undefined {
    const callbackName = callbackArg(args, `${handleName}.send`);
    if (callbackName === null) return undefined;
    const word = callbackName === `${handleName}.send` ? 'send' : callbackName;
    return (_handle, error) => {
      const result = error === null ? '0' : error.code;
      this.host.invokeCallback(`cb ${handleName} ${word} ${result}`, {
        handle: handleName,
        callback: callbackName,
        status: error === null ? 'ok' : error.code,
      });
    };
  }

  /**
   * A receive callback: the datagram and its sender, the error, or
   * `nothing` for the "nothing more to read" call (status 'none').
   */
  private recvCallback(
    args: ActionArgs,
    handleName: string,
  ):
    | ((
        handle: unknown,
        address: SocketAddress | null,
        flags: number,
        data: Buffer | null,
        error: UVError | null,
      ) => void)
    | undefined {
    const callbackName = callbackArg(args, `${handleName}.recv`);
    if (callbackName === null) return undefined;
    const word = callbackName === `${handleName}.recv` ? 'recv' : callbackName;
    return (_handle, address, flags, data, error) => {
      const context: Omit<CallbackContext, 'count'> = {
        handle: handleName,
        callback: callbackName,
      };
      let result: string;
      if (error !== null) {
        result = context.status = error.code;
      } else if (data === null || address === null) {
        result = 'nothing';
        context.status = 'none';
      } else {
        result = `${formatData(data)} from ${this.senderName(address.port)}`;
        if ((flags & UDP.PARTIAL) !== 0) result += ' PARTIAL';
        context.status = 'ok';
        context.data = data;
        context.address = address;
      }
      this.host.invokeCallback(`cb ${handleName} ${word} ${result}`, context);
    };
  }
}
