import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { parseDuration } from '../core/duration.js';
import { formatDiagnostic, type Diagnostic } from '../spec/diagnostic.js';
import { durationSeconds } from '../spec/wire-values.js';
import { findingsFromIssues } from '../spec/wire-issues.js';
import { locate } from '../spec/yaml-locate.js';
import type { Config } from './config.js';
import { defaultDedupWindow } from '../deploys/deploy-store.js';
import { toReportSettings } from '../report/report-settings.js';
import { toGateConfig } from '../gate/gate-schema.js';
import { toVerificationSettings } from '../verify/verification-settings.js';
import { isHeartbeatUrl, toHeartbeatSettings } from './heartbeat-settings.js';
import { toShardingSettings } from './sharding-settings.js';
import { RoutingConfigError, toRoutingConfig } from '../routing/to-routing-config.js';
import type { RoutingConfig } from '../routing/routing-model.js';
import { error, formatPath } from '../spec/diagnostic.js';
import { placeFindings } from '../routing/load-routing.js';
import { routingFindings } from '../routing/routing-rules.js';
import { configSchemaV1, type ConfigWireV1 } from './config-schema.js';
import { FileReadError, readTextFile } from '../util/read-text-file.js';
import { isStackOverflow, toDataSafely, tooDeepMessage } from '../spec/yaml-safety.js';
import { parseListenAddress } from './listen-address.js';
import { serverLimits } from './server-limits.js';
import { embeddedSettings } from './embedded-settings.js';
import { toAlertmanagerSettings } from './alertmanager-settings.js';

/** A settings file larger than this is refused unread. */
export const maxConfigFileBytes = 1024 * 1024;

export const defaultConfigFile = 'burnrate.yaml';

/** Invalid settings: every problem as `file:line:col field: message`. */
export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ConfigError';
  }
}

/** An environment variable the settings name as holding a secret, and the field that names it. */
export interface SecretReference {
  variable: string;
  /** Field path such as `receivers[0].slack.tokenEnv`. */
  field: string;
}

export interface LoadConfigOptions {
  /**
   * `require` (the default): every secret's variable must be set in `env`, or the file is invalid. `defer`: they
   * are not read (secrets in the result are empty), for checking files on a machine that is not the daemon's.
   */
  secrets?: 'require' | 'defer';
}

export interface ConfigOverrides {
  slos?: string;
  prometheus?: string;
  db?: string;
}

/**
 * Reads the settings file. `explicit` says the user named the file: then it must exist; the default
 * `burnrate.yaml` may be absent, and the defaults (embedded store, ./slos, ./runbooks) apply. `secrets` lists the
 * environment variables the settings read secrets from.
 */
export function loadConfig(
  file: string,
  explicit: boolean,
  overrides: ConfigOverrides = {},
  cwd = process.cwd(),
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: LoadConfigOptions = {},
): Config & { secrets: SecretReference[] } {
  const path = resolve(cwd, file);
  // Deferred secrets are checked against, and read from, an environment that has none.
  const secretEnv = options.secrets === 'defer' ? undefined : env;
  let wire: ConfigWireV1 = {};
  let base = cwd;
  let warnings: Diagnostic[] = [];
  const text = readConfigFile(path, file, explicit);
  if (text !== undefined) {
    ({ wire, warnings } = parseConfigText(text, file, secretEnv ?? null));
    base = dirname(path);
  }
  return {
    ...toConfig(wire, text !== undefined ? path : undefined, base, overrides, cwd, secretEnv),
    warnings: warnings.map(formatDiagnostic),
    secrets: secretReferences(wire),
  };
}

/** Every environment variable the settings read a secret from, in file order. */
export function secretReferences(wire: ConfigWireV1): SecretReference[] {
  const found: SecretReference[] = [];
  (wire.receivers ?? []).forEach((receiver, index) => {
    if (receiver.slack !== undefined) found.push({ variable: receiver.slack.tokenEnv, field: `receivers[${index}].slack.tokenEnv` });
    const password = receiver.email?.smtp?.passwordEnv;
    if (password !== undefined) found.push({ variable: password, field: `receivers[${index}].email.smtp.passwordEnv` });
    if (receiver.pagerduty !== undefined) found.push({ variable: receiver.pagerduty.routingKeyEnv, field: `receivers[${index}].pagerduty.routingKeyEnv` });
    if (receiver.teams !== undefined) found.push({ variable: receiver.teams.urlEnv, field: `receivers[${index}].teams.urlEnv` });
    if (receiver.webhook !== undefined) {
      found.push({ variable: receiver.webhook.secretEnv, field: `receivers[${index}].webhook.secretEnv` });
      for (const [header, variable] of Object.entries(receiver.webhook.headersEnv ?? {})) found.push({ variable, field: `receivers[${index}].webhook.headersEnv.${header}` });
    }
  });
  (wire.api?.tokens ?? []).forEach((token, index) => found.push({ variable: token.tokenEnv, field: `api.tokens[${index}].tokenEnv` }));
  if (wire.heartbeat !== undefined) found.push({ variable: wire.heartbeat.urlEnv, field: 'heartbeat.urlEnv' });
  return found;
}

/** The file's text; undefined when the default file is absent. A named file that is missing or unreadable is an error. */
function readConfigFile(path: string, file: string, explicit: boolean): string | undefined {
  const fail = (message: string) => new ConfigError([{ severity: 'error', file, line: 1, column: 1, path: '', message }]);
  if (!explicit && !existsSync(path)) return undefined;
  try {
    return readTextFile(path, { maxBytes: maxConfigFileBytes });
  } catch (cause) {
    if (cause instanceof FileReadError) throw fail(cause.code === 'missing' ? 'config file not found' : `cannot read the config file: ${cause.code === 'unreadable' ? cause.reason : `it ${cause.reason}`}`);
    throw cause;
  }
}

/**
 * Parses and checks the settings file. Whatever the text, the outcome is settings or a {@link ConfigError}
 * (`file:line:col field: message`), never another exception. With `env` null, secrets' variables are not checked.
 */
export function parseConfigText(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>> | null = process.env,
): { wire: ConfigWireV1; warnings: Diagnostic[] } {
  try {
    return parseCheckedText(text, file, env ?? undefined);
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new ConfigError([{ severity: 'error', file, line: 1, column: 1, path: '', message: `cannot read the config: ${message}` }]);
  }
}

/** Routing rules, tokens and the listen address are checked here so their findings get positions. */
function parseCheckedText(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>> | undefined,
): { wire: ConfigWireV1; warnings: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    // A document too deep for the parser's stack overflows at several depths at once: one line says it.
    const overflow = doc.errors.find((e) => isStackOverflow(e.message));
    throw new ConfigError(
      (overflow ? [overflow] : doc.errors).map((e) => ({
        severity: 'error',
        file,
        line: at(e.pos[0]).line,
        column: at(e.pos[0]).col,
        path: '',
        message: isStackOverflow(e.message) ? `YAML: ${tooDeepMessage}` : `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  const data = toDataSafely(doc);
  if (data.hazard !== undefined) {
    const { line, col } = at(data.hazard.offset);
    throw new ConfigError([{ severity: 'error', file, line, column: col, path: '', message: `YAML: ${data.hazard.message}` }]);
  }
  const result = configSchemaV1.safeParse(data.value ?? {});
  if (result.success) {
    const tokenFindings = (result.data.api?.tokens ?? []).flatMap((token, index) =>
      env === undefined || env[token.tokenEnv] ? [] : [error(['api', 'tokens', index, 'tokenEnv'], `environment variable ${token.tokenEnv} (token "${token.name}") is not set`)],
    );
    const heartbeat = result.data.heartbeat;
    const heartbeatFindings =
      env === undefined || heartbeat === undefined || isHeartbeatUrl(env[heartbeat.urlEnv])
        ? []
        : [error(['heartbeat', 'urlEnv'], `environment variable ${heartbeat.urlEnv} ${env[heartbeat.urlEnv] ? 'does not hold an http(s) URL' : 'is not set'}: it holds the heartbeat URL`)];
    const listen = result.data.server?.listen === undefined ? undefined : parseListenAddress(result.data.server.listen);
    const listenFindings = listen !== undefined && 'problem' in listen ? [error(['server', 'listen'], listen.problem)] : [];
    const diagnostics = placeFindings(doc, lineCounter, file, [...routingFindings(result.data, env), ...tokenFindings, ...heartbeatFindings, ...listenFindings]);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new ConfigError(errors);
    return { wire: result.data, warnings: diagnostics.filter((d) => d.severity === 'warning') };
  }
  throw new ConfigError(
    findingsFromIssues(result.error.issues).map((finding) => {
      const position = locate(doc, lineCounter, finding.path, finding.at);
      return { severity: 'error', file, ...position, path: finding.path.map(String).join('.'), message: finding.message };
    }),
  );
}

function toConfig(
  wire: ConfigWireV1,
  file: string | undefined,
  base: string,
  overrides: ConfigOverrides,
  cwd: string,
  env: Readonly<Record<string, string | undefined>> | undefined,
): Omit<Config, 'warnings'> {
  const seconds = (value: string | undefined, fallback: number) => (value === undefined ? fallback : (parseDuration(value) ?? fallback));
  const prometheusUrl = overrides.prometheus ?? wire.backend?.prometheus?.url;
  const slos = overrides.slos !== undefined ? [resolve(cwd, overrides.slos)] : [wire.slos ?? 'slos'].flat().map((p) => resolve(base, p));
  const listen = parseListenAddress(wire.server?.listen ?? '127.0.0.1:9464');
  // Checked with its position when the file was parsed.
  const { host, port } = 'problem' in listen ? { host: '127.0.0.1', port: 9464 } : listen;
  return {
    file,
    backend:
      prometheusUrl === undefined
        ? { kind: 'embedded', ...embeddedSettings(wire.backend?.embedded) }
        : {
            kind: 'prometheus',
            url: prometheusUrl,
            timeoutSeconds: seconds(wire.backend?.prometheus?.timeout, 10),
            headers: wire.backend?.prometheus?.headers ?? {},
          },
    database: overrides.db !== undefined ? resolve(cwd, overrides.db) : resolve(base, wire.database ?? 'burnrate.db'),
    slos,
    runbooks: resolve(base, wire.runbooks ?? 'runbooks'),
    evaluation: {
      schedule: wire.evaluation?.schedule ?? '* * * * *',
      bucket: seconds(wire.evaluation?.bucket, 60),
      queryDelay: durationSeconds(wire.evaluation?.queryDelay),
      lateness: wire.evaluation?.lateness === undefined ? 300 : durationSeconds(wire.evaluation.lateness),
      concurrency: wire.evaluation?.concurrency ?? 16,
      maxCatchUpSteps: wire.evaluation?.maxCatchUpSteps ?? 360,
    },
    history: {
      retention: wire.history?.retention === undefined ? 30 * 86_400 : durationSeconds(wire.history.retention),
      fullResolution: seconds(wire.history?.fullResolution, 2 * 86_400),
      downsampleTo: seconds(wire.history?.downsample, 3600),
      gateLog: seconds(wire.history?.gateLog, 90 * 86_400),
    },
    server: { host, port, limits: serverLimits(wire.server) },
    alerting: {
      noDataAfter: seconds(wire.alerting?.noData?.after, 600),
      noDataSeverity: wire.alerting?.noData?.severity ?? 'ticket',
      templates: wire.alerting?.templates === undefined ? null : resolve(base, wire.alerting.templates),
      runbookBaseUrl: wire.alerting?.runbookBaseUrl ?? null,
      links: { dashboard: wire.alerting?.links?.dashboard ?? null, query: wire.alerting?.links?.query ?? null },
      giveUpAfter: seconds(wire.alerting?.delivery?.giveUpAfter, 7200),
      deliveryTimeout: seconds(wire.alerting?.delivery?.timeout, 10),
      recoverAfter: seconds(wire.alerting?.delivery?.recoverAfter, 5),
    },
    deploys: {
      lookback: seconds(wire.deploys?.lookback, 86_400),
      dedupWindow: wire.deploys?.dedupWindow === undefined ? defaultDedupWindow : durationSeconds(wire.deploys.dedupWindow),
      related: wire.deploys?.related ?? {},
      buildInfo: wire.deploys?.buildInfo && {
        metric: wire.deploys.buildInfo.metric,
        ...(wire.deploys.buildInfo.serviceLabel !== undefined && { serviceLabel: wire.deploys.buildInfo.serviceLabel }),
        ...(wire.deploys.buildInfo.versionLabel !== undefined && { versionLabel: wire.deploys.buildInfo.versionLabel }),
        ...(wire.deploys.buildInfo.commitLabel !== undefined && { commitLabel: wire.deploys.buildInfo.commitLabel }),
        ...(wire.deploys.buildInfo.environmentLabel !== undefined && { environmentLabel: wire.deploys.buildInfo.environmentLabel }),
        step: seconds(wire.deploys.buildInfo.step, 60),
      },
    },
    routing: routingOrThrow(wire, env, file ?? 'burnrate.yaml'),
    reports: toReportSettings(wire.reports),
    gate: toGateConfig(wire.gate),
    verification: toVerificationSettings(wire.verification),
    heartbeat: toHeartbeatSettings(wire.heartbeat, env),
    sharding: toShardingSettings(wire.sharding),
    alertmanager: toAlertmanagerSettings(wire.alertmanager, { host, port }),
    // Checked with positions when the file was parsed: every token's variable is set.
    apiTokens: (wire.api?.tokens ?? []).map((token) => ({ name: token.name, token: env?.[token.tokenEnv] ?? '', scopes: token.scopes })),
    logLevel: wire.logLevel ?? 'info',
  };
}

function routingOrThrow(wire: ConfigWireV1, env: Readonly<Record<string, string | undefined>> | undefined, file: string): RoutingConfig | undefined {
  try {
    return toRoutingConfig(wire, env);
  } catch (error) {
    if (error instanceof RoutingConfigError) {
      throw new ConfigError(error.findings.map((f) => ({ severity: f.severity, file, line: 1, column: 1, path: formatPath(f.path), message: f.message })));
    }
    throw error;
  }
}
