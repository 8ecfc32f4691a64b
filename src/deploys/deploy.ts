/**
 * A deploy event, with the fields common to Grafana annotations, Datadog, Sentry and Honeycomb markers.
 * Times are unix seconds.
 */
export interface DeployEvent {
  id: string;
  service: string;
  environment: string | null;
  version: string | null;
  commit: string | null;
  repositoryUrl: string | null;
  author: string | null;
  startedAt: number | null;
  /** When the deploy landed; the time used to find "the deploy that preceded the burn". */
  finishedAt: number;
  url: string | null;
  /** Where the deploy is rolled back (a pipeline's rollback job, a release page), shown in its DeployRegression page. */
  rollbackUrl: string | null;
  summary: string | null;
  tags: readonly string[];
  source: 'api' | 'cli' | 'build_info';
}
