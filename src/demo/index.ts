export { writeScenarioOpenMetrics, type ScenarioOutput } from './write-scenario.js';
export { planIncidents, incidentKinds, scenarioServices, type Incident, type IncidentKind, type IncidentPlan, type ScenarioService } from './incidents.js';
export { resolveScenario, simulateService, scrapeOffset, defaultSeed, type ScenarioOptions, type Tick } from './simulate.js';
export { serviceProfiles, diurnalFactor, type ServiceProfile } from './services.js';
export { loadScenario } from './load-scenario.js';
export { replayDaemon, type ReplayProgress, type ReplaySpan } from './replay-daemon.js';
export { demoDeploys, type DemoDeploy } from './demo-deploys.js';
export { buildDemo, daemonStart, type DemoOptions, type DemoResult, type DemoStage } from './build-demo.js';
