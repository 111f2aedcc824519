/**
 * Sockets through Linux's /proc: the descriptor of a TCP socket that Node
 * created, for `TCP.fileno()`, and the kind of a socket by its inode, for
 * `guessHandle()` (fd.ts).
 *
 * Node keeps the descriptors of the sockets it makes for `connect()`,
 * `listen()` and `accept()` to itself: only its private `_handle.fd` holds
 * them. Linux publishes them another way. /proc/net/tcp and /proc/net/tcp6
 * list every TCP socket with its two addresses, its state and its inode,
 * and /proc/self/fd links each descriptor of this process to
 * `socket:[inode]`. A connection is unique by its two addresses and a
 * listener by its local address, so the inode and then the descriptor
 * follow, as `lsof` and `ss -p` find them. It costs a read of those tables,
 * which is fine for a call made once in a while, and it answers `null`
 * wherever it cannot be sure (no /proc, no entry, no descriptor).
 *
 * @module
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { endianness } from 'node:os';

/** One end of a TCP socket, as Node reports it (`address()`, `remoteAddress`). */
export interface SocketEnd {
  readonly address: string;
  readonly port: number;
}

/** The kernel's TCP_LISTEN state, as /proc/net/tcp prints it. */
const LISTEN_STATE = '0A';

/**
 * The descriptor of this process's TCP socket whose local end is `local`
 * and, for a connection, whose peer is `remote` (`null`: the listener on
 * `local`). `null` when it cannot be found.
 */
export function findTcpDescriptor(local: SocketEnd, remote: SocketEnd | null): number | null {
  const inode = findInode('tcp', local, remote);
  return inode === null ? null : descriptorOfInode(inode);
}

/** The kernel's TCP_ESTABLISHED state, which a connected UDP socket shows in /proc/net/udp. */
const ESTABLISHED_STATE = '01';

/**
 * @internal The descriptor of this process's UDP socket bound to `local`
 * and, if it is connected, whose peer is `remote` (`null`: not connected),
 * for `UDP.fileno()`. `null` when it cannot be found.
 */
export function findUdpDescriptor(local: SocketEnd, remote: SocketEnd | null): number | null {
  const inode = findInode('udp', local, remote);
  return inode === null ? null : descriptorOfInode(inode);
}

function findInode(
  protocol: 'tcp' | 'udp',
  local: SocketEnd,
  remote: SocketEnd | null,
): string | null {
  const localAddress = canonicalAddress(local.address);
  const remoteAddress = remote === null ? null : canonicalAddress(remote.address);
  if (localAddress === null || (remote !== null && remoteAddress === null)) return null;
  let table: string;
  try {
    const path = `/proc/net/${protocol}${isIPv4(localAddress) ? '' : '6'}`;
    table = readFileSync(path, 'latin1');
  } catch {
    return null;
  }
  for (const line of table.split('\n').slice(1)) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
    const fields = line.trim().split(/\s+/);
    const inode = fields[9];
    // Sockets in TIME_WAIT and the like have no inode (0): no descriptor either.
    if (fields.length < 10 || inode === undefined || inode === '0') continue;
    // A TCP listener has no peer; a UDP socket has one once connected.
    const peerless =
      protocol === 'tcp' ? fields[3] === LISTEN_STATE : fields[3] !== ESTABLISHED_STATE;
    if (peerless !== (remote === null)) continue;
    if (!endMatches(fields[1], localAddress, local.port)) continue;
    if (remote !== null && !endMatches(fields[2], remoteAddress as string, remote.port)) continue;
    return inode;
  }
  return null;
}

/** Whether a /proc `ADDRESS:PORT` field (hexadecimal) is `address`:`port`. */
function endMatches(field: string | undefined, address: string, port: number): boolean {
  if (field === undefined) return false;
  const [addressHex, portHex] = field.split(':');
  if (addressHex === undefined || portHex === undefined) return false;
  return Number.parseInt(portHex, 16) === port && procAddress(addressHex) === address;
}

/**
 * The address of a /proc field, in the form `canonicalAddress()` gives. The
 * kernel prints each 32-bit word of the address as a number in the
 * machine's byte order, so on a little-endian machine the bytes of every
 * word come out reversed.
 */
function procAddress(hex: string): string | null {
  const bytes = Buffer.from(hex, 'hex');
  if (endianness() === 'LE') {
    for (let word = 0; word + 4 <= bytes.length; word += 4)
      bytes.subarray(word, word + 4).reverse();
  }
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 2) {
    groups.push(bytes.readUInt16BE(offset).toString(16));
  }
  return canonicalAddress(groups.join(':'));
}

/**
 * One spelling per address, so that Node's and the kernel's can be
 * compared as strings: IPv4 as it is, IPv6 as the WHATWG URL parser
 * serializes a host (compressed, lower case, an embedded IPv4 in hex),
 * without a zone. `null` if it is not an IP address.
 */
function canonicalAddress(text: string): string | null {
  const address = text.replace(/%.*$/, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return null;
  return new URL(`http://[${address}]/`).hostname;
}

/** The descriptor of this process linked to `socket:[inode]`, or `null`. */
function descriptorOfInode(inode: string): number | null {
  const target = `socket:[${inode}]`;
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch {
    return null;
  }
  for (const name of names) {
    try {
      if (readlinkSync(`/proc/self/fd/${name}`) === target) return Number(name);
    } catch {
      // The descriptor closed while we looked (readdir's own one does): not ours.
    }
  }
  return null;
}

/** What /proc says a socket inode is (see `socketKindOfInode`). */
export type SocketKind = 'unix-stream' | 'unix-other' | 'tcp' | 'udp';

/** The column of the inode in each /proc/net table, and the kind its sockets are. */
const SOCKET_TABLES: readonly { path: string; inodeColumn: number; kind: SocketKind }[] = [
  // Num RefCount Protocol Flags Type St Inode Path; Type 0001 is SOCK_STREAM.
  { path: '/proc/net/unix', inodeColumn: 6, kind: 'unix-stream' },
  { path: '/proc/net/tcp', inodeColumn: 9, kind: 'tcp' },
  { path: '/proc/net/tcp6', inodeColumn: 9, kind: 'tcp' },
  { path: '/proc/net/udp', inodeColumn: 9, kind: 'udp' },
  { path: '/proc/net/udp6', inodeColumn: 9, kind: 'udp' },
];

/**
 * @internal The kind of the socket whose inode is `inode` (what `fstat()`
 * of its descriptor gives), from the tables of /proc/net: a Unix stream
 * socket, another Unix socket, a TCP or a UDP socket. `null` when no table
 * lists it (no /proc, another protocol, or a TCP/UDP socket that is
 * neither bound nor connected and so not yet in the kernel's tables).
 */
export function socketKindOfInode(inode: number | bigint): SocketKind | null {
  const wanted = String(inode);
  for (const { path, inodeColumn, kind } of SOCKET_TABLES) {
    let table: string;
    try {
      table = readFileSync(path, 'latin1');
    } catch {
      continue;
    }
    for (const line of table.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[inodeColumn] !== wanted) continue;
      if (kind === 'unix-stream' && fields[4] !== '0001') return 'unix-other';
      return kind;
    }
  }
  return null;
}
