import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registeredRoutes } from '../../src/daemon/http-errors.js';
import { apiHarness, closeHarnesses, readAuth, t0 } from './api-harness.js';

afterEach(closeHarnesses);

interface Schema {
  properties?: Record<string, Schema & { enum?: unknown[] }>;
  required?: string[];
  allOf?: Schema[];
  $ref?: string;
}

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema> };
}

const file = new URL('../../docs/openapi.yaml', import.meta.url);
const spec = parse(readFileSync(file, 'utf8')) as OpenApi;
const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

/** Documented operations as `METHOD /path/:param`. */
const documented = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.keys(item)
    .filter((key) => methods.includes(key))
    .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
);

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1 and every $ref resolves', () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(spec);
    expect(refs.length).toBeGreaterThan(0);
    const unresolved = refs.filter((ref) => {
      let node: unknown = spec;
      for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown> | undefined)?.[part];
      return node === undefined;
    });
    expect(unresolved).toEqual([]);
  });

  it('documents every route the server registers, and registers every documented route', async () => {
    const { app } = await apiHarness({ embedded: true, sharded: true });
    const served = registeredRoutes(app).map((route) => `${route.method} ${route.url}`);
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !served.includes(route))).toEqual([]);
  });
});

/** The properties a component schema documents (through allOf and $ref), and the ones it requires. */
function schemaFields(name: string): { properties: Record<string, Schema & { enum?: unknown[] }>; required: string[] } {
  const out = { properties: {} as Record<string, Schema & { enum?: unknown[] }>, required: [] as string[] };
  const add = (schema: Schema) => {
    if (schema.$ref) add(spec.components.schemas[schema.$ref.split('/').at(-1)!]!);
    for (const part of schema.allOf ?? []) add(part);
    Object.assign(out.properties, schema.properties ?? {});
    out.required.push(...(schema.required ?? []));
  };
  add(spec.components.schemas[name]!);
  return out;
}

describe('docs/openapi.yaml against the answers', () => {
  it('an SLO, its tiers and its alert state changes carry exactly the documented fields, with documented values', async () => {
    const h = await apiHarness();
    h.record(t0 - 60, { 'search-availability': 0.05 });
    h.record(t0, { 'search-availability': 0.05 });
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/slos/search-availability', headers: readAuth });
    expect(response.statusCode).toBe(200);
    const detail = response.json() as Record<string, unknown> & { page: Record<string, unknown>; transitions: Array<Record<string, unknown>> };

    const sloDoc = schemaFields('SloDetail');
    expect(Object.keys(detail).sort()).toEqual(Object.keys(sloDoc.properties).sort());
    expect([...sloDoc.required].sort()).toEqual(Object.keys(detail).sort());
    const tier = schemaFields('Tier');
    expect(Object.keys(detail.page).sort()).toEqual([...tier.required].sort());
    expect(tier.properties['state']!.enum).toContain(detail.page['state']);
    const change = schemaFields('AlertChange');
    expect(detail.transitions.length).toBeGreaterThan(0);
    for (const t of detail.transitions) {
      expect(Object.keys(t).sort()).toEqual([...change.required].sort());
      expect(change.properties['state']!.enum).toContain(t['state']);
      expect(change.properties['kind']!.enum).toContain(t['kind']);
    }
  });
});
