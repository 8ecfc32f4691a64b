import Fastify from 'fastify';
import * as z from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import type { Authorize } from '../../src/daemon/auth.js';
import { HttpError } from '../../src/daemon/http-errors.js';
import { defineRoute, routePlugin } from '../../src/daemon/route.js';
import { param, querySchema } from '../../src/daemon/routes/query-params.js';

class WidgetBusy extends Error {}

/** A route plugin as a new endpoint would declare it. */
const widgetRoutes = routePlugin((_options: { authorize: Authorize }) => [
  defineRoute({
    method: 'GET',
    url: '/widgets/:id',
    scope: 'read',
    query: querySchema({ colour: param.oneOf(['red', 'blue']), limit: param.limit(10, 100) }),
    handler: ({ params, query }) => ({ id: params.id, ...query }),
  }),
  defineRoute({
    method: 'POST',
    url: '/widgets',
    scope: 'write',
    body: { what: 'widget', code: 'invalid_widget', parse: z.strictObject({ name: z.string({ error: 'expected a name' }) }) },
    errors: (error) => (error instanceof WidgetBusy ? new HttpError(409, 'busy', error.message) : undefined),
    handler: ({ reply, body }) => {
      if (body.name === 'busy') throw new WidgetBusy('the widget is busy');
      return reply.status(201).send(body);
    },
  }),
]);

const apps: Array<ReturnType<typeof Fastify>> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function server(authorize: Authorize = (_request, scope) => scope === 'read') {
  const app = Fastify();
  apps.push(app);
  await app.register(widgetRoutes, { authorize });
  return app;
}

describe('defineRoute', () => {
  it('hands the handler the path parameters and the parsed query', async () => {
    const app = await server();
    const response = await app.inject({ url: '/widgets/w1?colour=red' });
    expect([response.statusCode, response.json()]).toEqual([200, { id: 'w1', colour: 'red', limit: 10 }]);
  });

  it('answers every problem of the query at once, in the order the parameters came', async () => {
    const app = await server();
    const response = await app.inject({ url: '/widgets/w1?size=9&colour=green&limit=0&limit=1' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'invalid_query',
        message: 'invalid query: size: unknown parameter "size": allowed parameters: colour, limit; colour: expected one of red, blue, got "green"; limit: expected one value, got 2',
        fields: [
          { path: 'size', message: 'unknown parameter "size": allowed parameters: colour, limit' },
          { path: 'colour', message: 'expected one of red, blue, got "green"' },
          { path: 'limit', message: 'expected one value, got 2' },
        ],
      },
    });
  });

  it('checks the scope before the body, the body before the handler, and translates declared domain errors', async () => {
    const app = await server();
    expect((await app.inject({ method: 'POST', url: '/widgets', payload: { name: 'a' } })).json()).toEqual({ error: { code: 'forbidden', message: 'write scope required' } });
    const writer = await server(() => true);
    expect((await writer.inject({ method: 'POST', url: '/widgets', payload: { name: 'a' } })).statusCode).toBe(201);
    expect((await writer.inject({ method: 'POST', url: '/widgets', payload: { name: 1 } })).json()).toEqual({
      error: { code: 'invalid_widget', message: 'invalid widget: name: expected a name', fields: [{ path: 'name', message: 'expected a name' }] },
    });
    expect((await writer.inject({ method: 'POST', url: '/widgets', headers: { 'content-type': 'text/plain' }, payload: 'a' })).json()).toEqual({
      error: { code: 'unsupported_media_type', message: 'send the widget as application/json' },
    });
    expect((await writer.inject({ method: 'POST', url: '/widgets', headers: { 'content-type': 'application/json' }, payload: '{' })).json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect((await writer.inject({ method: 'POST', url: '/widgets', payload: { name: 'busy' } })).json()).toEqual({ error: { code: 'busy', message: 'the widget is busy' } });
  });
});
