/**
 * The socket options of a UDP handle: TTLs, broadcast, multicast loop and
 * interface, group membership and buffer sizes, checked the way libuv
 * checks them before Node applies them.
 *
 * libuv checks a value's range before it looks at the socket, so an
 * out-of-range TTL is EINVAL even without one; an option on a handle that
 * has no socket is EBADF (rule 8.3; the `udp_no_autobind` test). A handle
 * created with a family (`uv_udp_init_ex`) has its socket in libuv from
 * the start, which Node cannot do: its options are kept here and applied
 * when it binds (udp.ts).
 *
 * @module
 */
import type dgram from 'node:dgram';
import net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';
import type { UdpFamily } from '../platform/dgram.js';

/** The options that can be set on a socket, and what each takes. */
interface OptionValues {
  ttl: number;
  multicastTtl: number;
  broadcast: boolean;
  multicastLoop: boolean;
  multicastInterface: string | null;
}

type OptionName = keyof OptionValues;

/** libuv's name of each setter, for the errors. */
const SYSCALLS: Readonly<Record<OptionName, string>> = {
  ttl: 'uv_udp_set_ttl',
  multicastTtl: 'uv_udp_set_multicast_ttl',
  broadcast: 'uv_udp_set_broadcast',
  multicastLoop: 'uv_udp_set_multicast_loop',
  multicastInterface: 'uv_udp_set_multicast_interface',
};

/** @internal The options of one UDP handle; see the module comment. */
export class UdpOptions {
  private readonly recorded = new Map<OptionName, { value: unknown; family: UdpFamily | null }>();

  constructor(private readonly errors: ProfileErrors) {}

  /**
   * Sets option `name` on `socket`, or records it when the handle has a
   * socket only in libuv's eyes (`recordable`), else EBADF.
   */
  set<N extends OptionName>(
    socket: dgram.Socket | null,
    recordable: boolean,
    name: N,
    value: OptionValues[N],
    family: UdpFamily | null = null,
  ): void {
    this.check(name, value);
    if (socket !== null) this.apply(socket, name, value, family);
    else if (recordable) this.recorded.set(name, { value, family });
    else throw this.errors.error(StatusCode.EBADF, SYSCALLS[name]);
  }

  /** Applies the recorded options to the handle's new socket, in the order they were set. */
  applyTo(socket: dgram.Socket, family: UdpFamily): void {
    for (const [name, { value }] of this.recorded) this.apply(socket, name, value as never, family);
    this.recorded.clear();
  }

  private check(name: OptionName, value: unknown): void {
    const syscall = SYSCALLS[name];
    switch (name) {
      case 'ttl':
      case 'multicastTtl': {
        if (typeof value !== 'number')
          throw new TypeError(`ttl must be a number, got ${typeof value}`);
        const lowest = name === 'ttl' ? 1 : 0;
        if (!Number.isInteger(value) || value < lowest || value > 255)
          throw this.errors.error(StatusCode.EINVAL, syscall);
        return;
      }
      case 'broadcast':
      case 'multicastLoop':
        if (typeof value !== 'boolean')
          throw new TypeError(`${name} needs a boolean, got ${typeof value}`);
        return;
      case 'multicastInterface':
        if (value === null) return;
        if (typeof value !== 'string')
          throw new TypeError(`the interface must be a string or null, got ${typeof value}`);
        if (net.isIP(value) === 0) throw this.errors.error(StatusCode.EINVAL, syscall);
    }
  }

  private apply(
    socket: dgram.Socket,
    name: OptionName,
    value: unknown,
    family: UdpFamily | null,
  ): void {
    try {
      switch (name) {
        case 'ttl':
          socket.setTTL(value as number);
          break;
        case 'multicastTtl':
          socket.setMulticastTTL(value as number);
          break;
        case 'broadcast':
          socket.setBroadcast(value as boolean);
          break;
        case 'multicastLoop':
          socket.setMulticastLoopback(value as boolean);
          break;
        case 'multicastInterface':
          // NULL in libuv: the default interface of the socket's family.
          socket.setMulticastInterface(
            (value as string | null) ?? (family === 'IPv6' ? '::' : '0.0.0.0'),
          );
      }
    } catch (error) {
      throw this.errors.fromNode(error, SYSCALLS[name]);
    }
  }

  /** The family of multicast group `address`, or EINVAL. */
  groupFamily(address: unknown, syscall: string): UdpFamily {
    if (typeof address !== 'string')
      throw new TypeError(`the multicast address must be a string, got ${typeof address}`);
    const version = net.isIP(address);
    if (version === 0) throw this.errors.error(StatusCode.EINVAL, syscall);
    return version === 4 ? 'IPv4' : 'IPv6';
  }

  /**
   * Joins or leaves `group` (`source`: only its datagrams), with libuv's
   * checks: EINVAL for an interface or source that is not an address of
   * the group's family, or a membership that is neither join nor leave.
   */
  membership(
    socket: dgram.Socket,
    group: string,
    interfaceAddress: string | null,
    source: string | null,
    membership: number,
  ): void {
    const syscall = source === null ? 'uv_udp_set_membership' : 'uv_udp_set_source_membership';
    if (interfaceAddress !== null && typeof interfaceAddress !== 'string')
      throw new TypeError('the interface must be a string or null');
    if (typeof membership !== 'number') throw new TypeError('membership must be a number');
    if (interfaceAddress !== null && net.isIP(interfaceAddress) === 0)
      throw this.errors.error(StatusCode.EINVAL, syscall);
    if (source !== null && net.isIP(source) !== net.isIP(group))
      throw this.errors.error(StatusCode.EINVAL, syscall);
    if (membership !== 0 && membership !== 1) throw this.errors.error(StatusCode.EINVAL, syscall);
    const join = membership === 1;
    const via = interfaceAddress ?? undefined;
    try {
      if (source === null) {
        if (join) socket.addMembership(group, via);
        else socket.dropMembership(group, via);
      } else if (join) {
        socket.addSourceSpecificMembership(source, group, via);
      } else {
        socket.dropSourceSpecificMembership(source, group, via);
      }
    } catch (error) {
      throw this.errors.fromNode(error, syscall);
    }
  }

  /** SO_SNDBUF or SO_RCVBUF, as Linux reports it. */
  bufferSize(socket: dgram.Socket, which: 'send' | 'receive'): number {
    return which === 'send' ? socket.getSendBufferSize() : socket.getRecvBufferSize();
  }

  /** Sets SO_SNDBUF or SO_RCVBUF: a positive integer, else EINVAL. */
  setBufferSize(socket: dgram.Socket, which: 'send' | 'receive', size: number): void {
    const syscall = which === 'send' ? 'uv_send_buffer_size' : 'uv_recv_buffer_size';
    if (typeof size !== 'number') throw new TypeError(`size must be a number, got ${typeof size}`);
    if (!Number.isInteger(size) || size <= 0 || size > 0x7fffffff)
      throw this.errors.error(StatusCode.EINVAL, syscall);
    try {
      if (which === 'send') socket.setSendBufferSize(size);
      else socket.setRecvBufferSize(size);
    } catch (error) {
      throw this.errors.fromNode(error, syscall);
    }
  }
}
