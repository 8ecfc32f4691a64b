import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchemaV1 } from '../../src/config/config-schema.js';
import { documentKeyPaths, matchesSchemaPath, schemaKeyPaths } from './schema-paths.js';

const root = join(import.meta.dirname, '../..');
const reference = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
const yamlBlocks = [...reference.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
// Keys the schema knows only to reject them with a message about environment variables.
const forbiddenSecrets = ['receivers[].slack.token', 'receivers[].email.smtp.password', 'receivers[].webhook.secret', 'receivers[].teams.url', 'receivers[].pagerduty.routingKey', 'heartbeat.url'];
// Child routes repeat the route's fields: route.routes[].matchers is route.matchers one level down.
const unnest = (path: string) => path.replace(/^route(\.routes\[\])+\./, 'route.');

describe('docs/configuration.md, the reference of burnrate.yaml', () => {
  const schemaPaths = schemaKeyPaths(configSchemaV1).filter((p) => !forbiddenSecrets.includes(p));
  const documented = yamlBlocks.flatMap((block) => documentKeyPaths(parse(block)));

  it('has one YAML block', () => {
    expect(yamlBlocks).toHaveLength(1);
  });

  it('documents every field the schema accepts', () => {
    const missing = schemaPaths.filter((path) => !documented.some((d) => matchesSchemaPath(path, unnest(d))));
    expect(missing, 'fields of src/config/config-schema.ts missing from docs/configuration.md').toEqual([]);
  });

  it('documents no field the schema does not accept', () => {
    const unknown = documented.filter((d) => !schemaPaths.some((path) => matchesSchemaPath(path, unnest(d))));
    expect(unknown, 'fields of docs/configuration.md that src/config/config-schema.ts does not accept').toEqual([]);
  });

  it('passes the schema itself', () => {
    // It shows both backends; a file names one.
    const { backend, ...rest } = parse(yamlBlocks[0]!) as { backend: { embedded: unknown; prometheus: unknown } };
    for (const one of [{ embedded: backend.embedded }, { prometheus: backend.prometheus }]) {
      expect(configSchemaV1.safeParse({ ...rest, backend: one }).error?.issues ?? []).toEqual([]);
    }
  });

  it('is linked from the README\'s configuration section', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    expect(section).toContain('(docs/configuration.md)');
  });
});
