/**
 * `uv_interface_addresses`: the addresses of the network interfaces that
 * are up and running.
 *
 * libuv walks `getifaddrs()`, which on Linux (glibc's netlink dump) lists
 * every IPv4 address, interface by interface in index order, and then
 * every IPv6 address the same way. Node's `os.networkInterfaces()` comes
 * from the same walk but groups the entries by interface name, so
 * `lo`'s IPv6 address comes before `eth0`'s IPv4 one. Flattening Node's
 * groups and sorting them back by family and interface index restores
 * libuv's order; the order within one interface and family is the
 * kernel's in both.
 *
 * @module
 */
import os from 'node:os';
import { readText } from './proc-files.js';

/** One address of a network interface (`uv_interface_address_t`). */
export interface InterfaceAddress {
  /** The interface's name, e.g. `eth0`. */
  readonly name: string;
  /** The address. */
  readonly address: string;
  /** Its netmask. */
  readonly netmask: string;
  /** The address family. */
  readonly family: 'IPv4' | 'IPv6';
  /** The interface's hardware address, `aa:bb:cc:dd:ee:ff` (`phys_addr`). */
  readonly mac: string;
  /** True for a loopback interface. */
  readonly isInternal: boolean;
  /** The IPv6 scope id (IPv6 only). */
  readonly scopeId?: number;
}

/** Every address of every interface that is up and running, in libuv's order (see the module comment). */
export function interfaceAddresses(): InterfaceAddress[] {
  const entries: { order: number; index: number; entry: InterfaceAddress }[] = [];
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    const index = interfaceIndex(name);
    for (const info of list ?? []) {
      const family = info.family === 'IPv6' ? 'IPv6' : 'IPv4';
      const entry: InterfaceAddress = {
        name,
        address: info.address,
        netmask: info.netmask,
        family,
        mac: info.mac,
        isInternal: info.internal,
        ...(info.family === 'IPv6' ? { scopeId: info.scopeid ?? 0 } : {}),
      };
      entries.push({ order: entries.length, index, entry });
    }
  }
  entries.sort((a, b) => {
    const byFamily = Number(a.entry.family === 'IPv6') - Number(b.entry.family === 'IPv6');
    return byFamily || a.index - b.index || a.order - b.order;
  });
  return entries.map(({ entry }) => entry);
}

/** The kernel's index of interface `name` (an IPv4 label `eth0:1` is `eth0`); last if unknown. */
function interfaceIndex(name: string): number {
  const device = name.split(':')[0] as string;
  const index = Number.parseInt(readText(`/sys/class/net/${device}/ifindex`) ?? '', 10);
  return Number.isFinite(index) ? index : Number.MAX_SAFE_INTEGER;
}
