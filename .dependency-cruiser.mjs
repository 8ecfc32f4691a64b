// The direction of dependencies between the folders of src/ (docs/architecture.md): each layer may import the
// layers below it, never one above; folders on one layer import each other only in the directions listed in
// `sideways`. Checked by test/architecture/dependency-direction.test.ts and `npm run lint:deps`.

/** From the bottom. `log.ts` is a file directly under src/; every other name is a folder of src/. */
export const layers = [
  ['util', 'core', 'log.ts'],
  ['spec', 'labels', 'store'],
  ['promql', 'runbooks'],
  ['slo'],
  ['backends', 'ledger', 'deploys'],
  ['engine'],
  ['alerting', 'silences', 'gate', 'routing', 'verify'],
  ['notify'],
  ['channels', 'render'],
  ['report'],
  ['config'],
  ['wiring', 'daemon', 'cli', 'demo', 'docker'],
];

/** The only imports allowed between two folders of the same layer: importer -> imported. */
export const sideways = {
  deploys: ['backends'],
  gate: ['alerting'],
  silences: ['routing'],
  daemon: ['wiring'],
  cli: ['wiring', 'daemon'],
  demo: ['wiring', 'daemon'],
  docker: ['cli'],
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathOf = (name) => (name.endsWith('.ts') ? `^src/${escape(name)}$` : `^src/${escape(name)}/`);

const layerRules = layers.flatMap((layer, index) => {
  const above = layers.slice(index + 1).flat();
  return layer.flatMap((name) => {
    const rules = [];
    if (above.length > 0) {
      rules.push({
        name: `upward-from-${name}`,
        comment: `${name} (layer ${index}) may not import a folder of a higher layer: ${above.join(', ')}`,
        severity: 'error',
        from: { path: pathOf(name) },
        to: { path: above.map(pathOf) },
      });
    }
    const sameLayer = layer.filter((other) => other !== name && !(sideways[name] ?? []).includes(other));
    if (sameLayer.length > 0) {
      rules.push({
        name: `sideways-from-${name}`,
        comment: `${name} may not import ${sameLayer.join(', ')} (same layer, no direction declared)`,
        severity: 'error',
        from: { path: pathOf(name) },
        to: { path: sameLayer.map(pathOf) },
      });
    }
    return rules;
  });
});

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...layerRules,
    {
      name: 'folder-cycle',
      comment: 'no cycles between the folders of src/',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-imports-test',
      comment: 'the product does not know its tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
