/**
 * Validates scenario files against `conformance/scenario.schema.json`.
 *
 * uvts has no runtime dependencies and the suite should not add any, so
 * this implements the part of JSON Schema (2020-12) that the scenario schema
 * uses: type, enum, const, pattern, minimum, minLength, minItems,
 * minProperties, properties, required, additionalProperties, items, oneOf,
 * allOf, if/then and local $ref. A keyword outside that set makes the check
 * fail loudly rather than pass silently.
 */
import { readFileSync } from 'node:fs';
import { conformancePath } from './paths.js';

/** A JSON value as parsed by JSON.parse. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A schema node (a JSON object, or true/false). */
type SchemaNode = { [key: string]: Json } | boolean;

const SUPPORTED = new Set([
  '$schema',
  '$id',
  '$defs',
  '$ref',
  'title',
  'description',
  'type',
  'enum',
  'const',
  'pattern',
  'minimum',
  'minLength',
  'minItems',
  'minProperties',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'oneOf',
  'allOf',
  'if',
  'then',
]);

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: Json, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** A validator bound to one schema document. */
export class SchemaChecker {
  constructor(private readonly root: { [key: string]: Json }) {}

  /** Loads the scenario schema that ships with the suite. */
  static forScenarios(): SchemaChecker {
    const path = conformancePath('scenario.schema.json');
    return new SchemaChecker(JSON.parse(readFileSync(path, 'utf8')) as { [key: string]: Json });
  }

  /** Returns a list of problems ("path: message"); empty means valid. */
  validate(value: Json): string[] {
    const errors: string[] = [];
    this.check(this.root, value, '$', errors);
    return errors;
  }

  private resolve(reference: string): SchemaNode {
    if (!reference.startsWith('#/')) throw new Error(`unsupported $ref ${reference}`);
    let node: Json | undefined = this.root;
    for (const part of reference.slice(2).split('/')) {
      node = isObject(node) ? node[part] : undefined;
    }
    if (!isObject(node) && typeof node !== 'boolean') throw new Error(`dangling $ref ${reference}`);
    return node;
  }

  private check(schema: SchemaNode, value: Json, path: string, errors: string[]): void {
    if (schema === true) return;
    if (schema === false) {
      errors.push(`${path}: not allowed`);
      return;
    }
    for (const keyword of Object.keys(schema)) {
      if (!SUPPORTED.has(keyword)) throw new Error(`schema keyword ${keyword} is not supported`);
    }
    const ref = schema['$ref'];
    if (typeof ref === 'string') this.check(this.resolve(ref), value, path, errors);
    this.checkScalar(schema, value, path, errors);
    if (isObject(value)) this.checkObject(schema, value, path, errors);
    if (Array.isArray(value) && schema['items'] !== undefined) {
      value.forEach((item, index) =>
        this.check(schema['items'] as SchemaNode, item, `${path}[${index}]`, errors),
      );
    }
    this.checkCombinators(schema, value, path, errors);
  }

  private checkScalar(
    schema: { [key: string]: Json },
    value: Json,
    path: string,
    errors: string[],
  ): void {
    const type = schema['type'];
    if (type !== undefined) {
      const types = Array.isArray(type) ? type : [type];
      if (!types.some((t) => matchesType(value, String(t)))) {
        errors.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
      }
    }
    const allowed = schema['enum'];
    if (Array.isArray(allowed) && !allowed.some((item) => item === value)) {
      errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`);
    }
    if ('const' in schema && schema['const'] !== value) {
      errors.push(`${path}: must be ${JSON.stringify(schema['const'])}`);
    }
    if (typeof value === 'string') {
      const pattern = schema['pattern'];
      if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value)) {
        errors.push(`${path}: ${JSON.stringify(value)} does not match ${pattern}`);
      }
      const minLength = schema['minLength'];
      if (typeof minLength === 'number' && value.length < minLength)
        errors.push(`${path}: too short`);
    }
    const minimum = schema['minimum'];
    if (typeof value === 'number' && typeof minimum === 'number' && value < minimum) {
      errors.push(`${path}: ${value} is below ${minimum}`);
    }
    const minItems = schema['minItems'];
    if (Array.isArray(value) && typeof minItems === 'number' && value.length < minItems) {
      errors.push(`${path}: needs at least ${minItems} items`);
    }
  }

  private checkObject(
    schema: { [key: string]: Json },
    value: { [key: string]: Json },
    path: string,
    errors: string[],
  ): void {
    const properties = isObject(schema['properties']) ? schema['properties'] : {};
    const required = schema['required'];
    if (Array.isArray(required)) {
      for (const key of required) {
        if (typeof key === 'string' && !(key in value)) errors.push(`${path}: missing "${key}"`);
      }
    }
    const minProperties = schema['minProperties'];
    if (typeof minProperties === 'number' && Object.keys(value).length < minProperties) {
      errors.push(`${path}: needs at least ${minProperties} properties`);
    }
    const additional = schema['additionalProperties'];
    for (const [key, item] of Object.entries(value)) {
      const propertySchema = properties[key];
      if (isObject(propertySchema) || typeof propertySchema === 'boolean') {
        this.check(propertySchema, item, `${path}.${key}`, errors);
      } else if (additional === false) {
        errors.push(`${path}: unknown property "${key}"`);
      } else if (isObject(additional)) {
        this.check(additional, item, `${path}.${key}`, errors);
      }
    }
  }

  private checkCombinators(
    schema: { [key: string]: Json },
    value: Json,
    path: string,
    errors: string[],
  ): void {
    const oneOf = schema['oneOf'];
    if (Array.isArray(oneOf)) {
      const matching = oneOf.filter((option) => this.validates(option as SchemaNode, value, path));
      if (matching.length !== 1) {
        errors.push(`${path}: must match exactly one alternative (matched ${matching.length})`);
      }
    }
    const allOf = schema['allOf'];
    if (Array.isArray(allOf)) {
      for (const part of allOf) this.check(part as SchemaNode, value, path, errors);
    }
    const condition = schema['if'];
    if (condition !== undefined && this.validates(condition as SchemaNode, value, path)) {
      const consequence = schema['then'];
      if (consequence !== undefined) this.check(consequence as SchemaNode, value, path, errors);
    }
  }

  private validates(schema: SchemaNode, value: Json, path: string): boolean {
    const errors: string[] = [];
    this.check(schema, value, path, errors);
    return errors.length === 0;
  }
}
