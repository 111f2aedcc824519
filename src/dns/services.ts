/**
 * The services database (`/etc/services`), as glibc's `getservbyname` and
 * `getservbyport` read it for getaddrinfo and getnameinfo. Node exposes
 * neither, so uvts reads the file itself, once, on first use.
 *
 * Each line is `name port/protocol [aliases...] [# comment]`; a lookup takes
 * the first line that matches, names and aliases compared exactly (glibc is
 * case-sensitive: `HTTP` is no service, measured with luv).
 *
 * @module
 */
import { readFileSync } from 'node:fs';

interface ServiceEntry {
  readonly names: readonly string[];
  readonly port: number;
  readonly protocol: string;
}

let entries: ServiceEntry[] | null = null;

/** The parsed database (empty if the file cannot be read). */
function database(): ServiceEntry[] {
  if (entries !== null) return entries;
  entries = [];
  let text = '';
  try {
    text = readFileSync('/etc/services', 'latin1');
  } catch {
    return entries;
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [name, portProtocol, ...aliases] = line.split(/\s+/);
    const match = /^(\d+)\/(\S+)$/.exec(portProtocol ?? '');
    if (name === undefined || match === null) continue;
    entries.push({ names: [name, ...aliases], port: Number(match[1]), protocol: match[2] ?? '' });
  }
  return entries;
}

/** The port of service `name` for `protocol` ('tcp', 'udp', …), or null (`getservbyname`). */
export function portOfService(name: string, protocol: string): number | null {
  for (const entry of database())
    if (entry.protocol === protocol && entry.names.includes(name)) return entry.port;
  return null;
}

/** The official name of `port` for `protocol`, or null (`getservbyport`). */
export function serviceOfPort(port: number, protocol: string): string | null {
  for (const entry of database())
    if (entry.protocol === protocol && entry.port === port) return entry.names[0] ?? null;
  return null;
}
