export { writeScenarioOpenMetrics, type ScenarioOutput } from './write-scenario.js';
export { planIncidents, incidentKinds, scenarioServices, type Incident, type IncidentKind, type IncidentPlan, type ScenarioService } from './incidents.js';
export { resolveScenario, simulateService, scrapeOffset, defaultSeed, type ScenarioOptions, type Tick } from './simulate.js';
export { serviceProfiles, diurnalFactor, type ServiceProfile } from './services.js';
