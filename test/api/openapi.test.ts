import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registeredRoutes } from '../../src/daemon/http-errors.js';
import { apiHarness, closeHarnesses } from './api-harness.js';

afterEach(closeHarnesses);

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
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
    const { app } = await apiHarness({ embedded: true });
    const served = registeredRoutes(app).map((route) => `${route.method} ${route.url}`);
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !served.includes(route))).toEqual([]);
  });
});
