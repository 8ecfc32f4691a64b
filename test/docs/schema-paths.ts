import type * as z from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Every key path a schema accepts: `a.b`, `list[].field` for arrays of mappings, `map.*` for a record's keys.
 * A recursive schema (the routing tree's `routes`) is walked down to where it repeats itself.
 */
export function schemaKeyPaths(schema: z.ZodType, prefix = '', seen = new Set<z.ZodType>()): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return schemaKeyPaths(def.innerType!, prefix, seen);
    case 'pipe':
      return schemaKeyPaths(def.in!, prefix, seen);
    case 'lazy':
      return schemaKeyPaths(def.getter!(), prefix, seen);
    case 'union':
      return [...new Set(def.options!.flatMap((option) => schemaKeyPaths(option, prefix, seen)))];
    case 'array':
      return schemaKeyPaths(def.element!, `${prefix}[]`, seen);
    case 'record':
      return [`${prefix}.*`, ...schemaKeyPaths(def.valueType!, `${prefix}.*`, seen)];
    case 'object': {
      // `seen` holds the mappings being walked: one inside itself (a recursive schema) is walked once.
      if (seen.has(schema)) return [];
      seen.add(schema);
      const paths = Object.entries(def.shape!).flatMap(([key, value]) => {
        const path = prefix === '' ? key : `${prefix}.${key}`;
        return [path, ...schemaKeyPaths(value, path, seen)];
      });
      seen.delete(schema);
      return paths;
    }
    default:
      return [];
  }
}

/** Key paths of a parsed YAML document, in the same notation (`[]` for list items). */
export function documentKeyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => documentKeyPaths(item, `${prefix}[]`)))];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...documentKeyPaths(child, path)];
  });
}

/** Whether a documented concrete path is an instance of a schema path (`*` stands for any one key). */
export function matchesSchemaPath(schemaPath: string, documented: string): boolean {
  const a = schemaPath.split('.');
  const b = documented.split('.');
  return a.length === b.length && a.every((segment, i) => segment === '*' || segment === b[i] || (segment === '*[]' && b[i]!.endsWith('[]')));
}
