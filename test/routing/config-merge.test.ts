import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parse } from 'yaml';
import { configSchemaV1 } from '../../src/config/config-schema.js';
import { routingSchema } from '../../src/routing/routing-schema.js';
import { toRoutingConfig } from '../../src/routing/to-routing-config.js';

describe('routingSchema spread into the config schema', () => {
  // What the config schema becomes once the routing keys are added to its shape.
  const merged = z.strictObject({ ...configSchemaV1.shape, ...routingSchema });

  it('parses a burnrate.yaml with backend, receivers and route', () => {
    const text = `
apiVersion: burnrate/v1
kind: Config
database: burnrate.db
receivers:
  - name: default-email
    email: {to: [oncall@example.com], from: burnrate@example.com, smtp: {host: localhost, port: 2525, tls: none}}
route:
  receiver: default-email
  group_by: [slo]
`;
    const wire = merged.parse(parse(text));
    const routing = toRoutingConfig(wire, {});
    expect(routing?.route).toMatchObject({ id: 'root', receiver: 'default-email', groupBy: ['slo'], groupWait: 30 });
    expect(routing?.receivers.get('default-email')?.email?.smtp).toEqual({ host: 'localhost', port: 2525, tls: 'none', auth: undefined });
  });

  it('keeps the config schema strict about other keys', () => {
    expect(merged.safeParse({ route: { receiver: 'x' }, routes: [] }).success).toBe(false);
  });
});
