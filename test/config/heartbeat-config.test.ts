import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load-config.js';
import { toHeartbeatSettings } from '../../src/config/heartbeat-settings.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';

const url = 'https://hc-ping.example.com/5f2b6c1e-secret-uuid';
const env = { BURNRATE_HEARTBEAT_URL: url };

/** The errors of a settings file, formatted as the CLI prints them; [] when it is valid. */
function problems(text: string, withEnv: Record<string, string> | null = env): string[] {
  try {
    parseConfigText(text, 'burnrate.yaml', withEnv);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.diagnostics.map(formatDiagnostic);
    throw error;
  }
}

describe('heartbeat', () => {
  it('reads the URL from the environment, with a 10 s timeout unless set', () => {
    const { wire } = parseConfigText('heartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL}\n', 'burnrate.yaml', env);
    expect(toHeartbeatSettings(wire.heartbeat, env)).toEqual({ url, timeoutSeconds: 10 });
    const timed = parseConfigText('heartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL, timeout: 3s}\n', 'burnrate.yaml', env);
    expect(toHeartbeatSettings(timed.wire.heartbeat, env)).toEqual({ url, timeoutSeconds: 3 });
  });

  it.each([
    ['the variable unset', 'heartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL}\n', {}, 'burnrate.yaml:1:21 heartbeat.urlEnv: environment variable BURNRATE_HEARTBEAT_URL is not set: it holds the heartbeat URL'],
    ['a variable that holds no URL', 'heartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL}\n', { BURNRATE_HEARTBEAT_URL: 'ping me' }, 'burnrate.yaml:1:21 heartbeat.urlEnv: environment variable BURNRATE_HEARTBEAT_URL does not hold an http(s) URL: it holds the heartbeat URL'],
  ])('refuses %s, at the field', (_what, text, withEnv, message) => {
    expect(problems(text, withEnv)).toEqual([message]);
  });

  it('refuses a literal url without printing it', () => {
    const found = problems(`heartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL, url: "${url}"}\n`).join('\n');
    expect(found).toMatch(/heartbeat\.url: a literal url does not belong in the config file: .*urlEnv: BURNRATE_HEARTBEAT_URL/);
    expect(found).not.toContain('secret-uuid');
  });

  it('refuses a timeout over a minute and unknown fields', () => {
    expect(problems('heartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL, timeout: 5m}\n').join('\n')).toMatch(/heartbeat\.timeout/);
    expect(problems('heartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL, every: 1m}\n').join('\n')).toMatch(/heartbeat/);
  });

  it('is not checked against the environment when secrets are deferred (validate)', () => {
    expect(problems('heartbeat: {urlEnv: BURNRATE_HEARTBEAT_URL}\n', null)).toEqual([]);
  });
});
