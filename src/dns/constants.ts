/**
 * The numbers of the getaddrinfo/getnameinfo interface, as Linux and glibc
 * define them (`<netdb.h>`, `<sys/socket.h>`, `<netinet/in.h>`). libuv
 * passes them straight through, and so do pyuv and uv-cffi, so uvts takes
 * the same numbers.
 *
 * @module
 */

/** Address families (`AF_*`). */
export const AddressFamily = {
  /** Any family (`AF_UNSPEC`). */
  UNSPEC: 0,
  /** IPv4 (`AF_INET`). */
  INET: 2,
  /** IPv6 (`AF_INET6`). */
  INET6: 10,
} as const;

/** Socket types (`SOCK_*`). */
export const SocketType = {
  /** A byte stream (`SOCK_STREAM`; TCP). */
  STREAM: 1,
  /** Datagrams (`SOCK_DGRAM`; UDP). */
  DGRAM: 2,
  /** Raw packets (`SOCK_RAW`). */
  RAW: 3,
  /** Ordered datagrams (`SOCK_SEQPACKET`; SCTP). */
  SEQPACKET: 5,
} as const;

/** IP protocols (`IPPROTO_*`). */
export const Protocol = {
  /** Any protocol (`IPPROTO_IP`, 0). */
  IP: 0,
  /** ICMP. */
  ICMP: 1,
  /** TCP. */
  TCP: 6,
  /** UDP. */
  UDP: 17,
  /** SCTP. */
  SCTP: 132,
  /** UDP-Lite. */
  UDPLITE: 136,
} as const;

/** Flags of `getaddrinfo` (`AI_*`). */
export const AddrInfoFlags = {
  /** Without a host: the wildcard address, for binding (`AI_PASSIVE`). */
  PASSIVE: 0x1,
  /** Fill `canonname` of the first result (`AI_CANONNAME`). */
  CANONNAME: 0x2,
  /** The host must be a numeric address (`AI_NUMERICHOST`). */
  NUMERICHOST: 0x4,
  /** With `INET6`: IPv4 addresses as IPv4-mapped IPv6 ones (`AI_V4MAPPED`). */
  V4MAPPED: 0x8,
  /** With `V4MAPPED`: IPv6 and mapped IPv4 addresses (`AI_ALL`). */
  ALL: 0x10,
  /** Only families the machine has addresses of (`AI_ADDRCONFIG`). */
  ADDRCONFIG: 0x20,
  /** The service must be a port number (`AI_NUMERICSERV`). */
  NUMERICSERV: 0x400,
} as const;

/** Flags of `getnameinfo` (`NI_*`). */
export const NameInfoFlags = {
  /** The host as a numeric address (`NI_NUMERICHOST`). */
  NUMERICHOST: 0x1,
  /** The service as a port number (`NI_NUMERICSERV`). */
  NUMERICSERV: 0x2,
  /** Only the host part of a local name (`NI_NOFQDN`). */
  NOFQDN: 0x4,
  /** Fail instead of answering a numeric host (`NI_NAMEREQD`). */
  NAMEREQD: 0x8,
  /** The service of the UDP port, not the TCP one (`NI_DGRAM`). */
  DGRAM: 0x10,
} as const;
