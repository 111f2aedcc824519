/**
 * The few WebAssembly declarations uvts uses. Node has the `WebAssembly`
 * global, but its type declarations live in TypeScript's DOM library,
 * which this project does not load; these match it for what they cover.
 */
declare namespace WebAssembly {
  /** A compiled module. */
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- its instances are opaque handles
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
    static imports(module: Module): { module: string; name: string; kind: string }[];
    static exports(module: Module): { name: string; kind: string }[];
  }
  /** An instance of a module. */
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  /** A linear memory. */
  class Memory {
    readonly buffer: ArrayBuffer;
  }
  /** Whether `bytes` form a valid module. */
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
