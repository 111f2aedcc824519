/**
 * The brand that lets `instanceof` recognise uvts errors made by another
 * copy of the package.
 *
 * A program can end up with two copies of uvts (two versions in
 * `node_modules`, or one bundled into a dependency). Each copy has its own
 * classes, so plain `instanceof` would say an error from one copy is not an
 * error of the other. To avoid that, every error carries, under a
 * registry-wide symbol, the list of its class kinds (for example
 * `['UVError', 'ConnectionError', 'ConnectionRefusedError']`), and the
 * classes' `Symbol.hasInstance` consults that list.
 *
 * Kinds are plain names chosen in the source, not `constructor.name`, so
 * that minifiers renaming classes cannot break the match.
 *
 * @module
 */

/**
 * The key, shared by every copy of uvts through the global symbol registry,
 * of the brand on each {@link UVError}. Its value is a frozen array of the
 * error's class kinds, from `'UVError'` down to the most specific class.
 */
export const UV_ERROR_BRAND: unique symbol = Symbol.for('uvts.UVError');

// Constructors are the keys, so copies of uvts that share this module (they
// do when only the class module is duplicated) cannot disturb each other.
const kindOfClass = new WeakMap<object, string>();
const chainOfClass = new WeakMap<object, readonly string[]>();

/**
 * Gives each class of `classes` the kind it is listed under, and makes that
 * kind the `name` of its instances (on the prototype, where built-in errors
 * keep theirs, so instances do not carry an own `name`).
 *
 * @internal
 */
export function defineKinds(classes: Readonly<Record<string, { prototype: object }>>): void {
  for (const [kind, cls] of Object.entries(classes)) {
    if (kindOfClass.has(cls)) throw new Error(`uvts: ${kind} already has a kind`);
    kindOfClass.set(cls, kind);
    Object.defineProperty(cls.prototype, 'name', {
      value: kind,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
}

/**
 * The kind a class was registered under, or `undefined` for classes uvts
 * did not define (subclasses written by users).
 *
 * @internal
 */
export function kindOf(cls: object): string | undefined {
  return kindOfClass.get(cls);
}

/**
 * The brand value for instances of `cls`: the kinds of `cls` and of its
 * ancestors, most general first. Classes without a kind (user subclasses)
 * are skipped: another copy of uvts could not know them anyway, and their
 * instances are still recognised through the prototype chain.
 *
 * @internal
 */
export function kindChain(cls: object): readonly string[] {
  const cached = chainOfClass.get(cls);
  if (cached !== undefined) return cached;
  const kinds: string[] = [];
  for (let c: object | null = cls; c !== null; c = Object.getPrototypeOf(c) as object | null) {
    const kind = kindOfClass.get(c);
    if (kind !== undefined) kinds.unshift(kind);
  }
  const chain = Object.freeze(kinds);
  chainOfClass.set(cls, chain);
  return chain;
}

/**
 * Whether `value` carries a uvts error brand that lists `kind`, whichever
 * copy of uvts made it.
 *
 * @internal
 */
export function hasKind(value: unknown, kind: string): boolean {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return false;
  const brand: unknown = (value as { [UV_ERROR_BRAND]?: unknown })[UV_ERROR_BRAND];
  return Array.isArray(brand) && brand.includes(kind);
}
