/**
 * uvts's DNS: `getaddrinfo` and `getnameinfo` as thread-pool requests, or
 * synchronous without a callback.
 *
 * @module
 */
export { AddrInfoFlags, AddressFamily, NameInfoFlags, Protocol, SocketType } from './constants.js';
export type { AddrInfo } from './addrinfo.js';
export { getaddrinfo, GetAddrInfoRequest } from './getaddrinfo.js';
export type { GetAddrInfoCallback } from './getaddrinfo.js';
export { getnameinfo, GetNameInfoRequest } from './getnameinfo.js';
export type { GetNameInfoCallback, NameInfo, NameInfoAddress } from './getnameinfo.js';
