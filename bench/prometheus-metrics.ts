/**
 * Reads Prometheus's own metrics from its /metrics page (no self-scrape needed): the sum of every sample of
 * `name` whose label text contains each of `labelParts`, e.g. `handler="/api/v1/query_range"`.
 */
export async function ownMetric(url: string, name: string, ...labelParts: string[]): Promise<number> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url}/metrics answered ${response.status}`);
  let sum = 0;
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (!labelParts.every((part) => rest.includes(part))) continue;
    sum += Number(rest.slice(rest.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Queries Prometheus has answered so far, whatever their status: range queries and instant ones (raw samples). */
export const queriesServed = async (url: string): Promise<number> =>
  (await ownMetric(url, 'prometheus_http_requests_total', 'handler="/api/v1/query_range"')) +
  (await ownMetric(url, 'prometheus_http_requests_total', 'handler="/api/v1/query"'));

interface RulesAnswer {
  status: string;
  data?: { groups: { name: string; evaluationTime: number; lastEvaluation: string; rules: { health: string; lastError?: string }[] }[] };
}

export interface GroupEvaluation {
  name: string;
  /** Seconds the group's last evaluation took. */
  evaluationTime: number;
  lastEvaluation: string;
  rules: number;
  unhealthy: number;
  firstError: string | undefined;
}

/** Every rule group's last evaluation as `/api/v1/rules` reports it. */
export async function ruleGroups(url: string): Promise<GroupEvaluation[]> {
  const response = await fetch(`${url}/api/v1/rules`, { signal: AbortSignal.timeout(60_000) });
  const answer = (await response.json()) as RulesAnswer;
  if (answer.status !== 'success' || !answer.data) throw new Error(`${url}/api/v1/rules answered ${response.status}`);
  return answer.data.groups.map((group) => {
    const broken = group.rules.filter((rule) => rule.health === 'err');
    return {
      name: group.name,
      evaluationTime: group.evaluationTime,
      lastEvaluation: group.lastEvaluation,
      rules: group.rules.length,
      unhealthy: broken.length,
      firstError: broken[0]?.lastError,
    };
  });
}
