import type { Alert } from '../alerting/alert.js';
import type { EvaluationFigures } from '../alerting/evaluation-figures.js';
import type { PrecedingDeploy } from '../deploys/preceding-deploy.js';
import type { DeployCost } from '../engine/deploy-costs.js';
import type { RunbookRef } from '../runbooks/load-runbook.js';

export interface SloSummary {
  name: string;
  service: string;
  description: string;
  /** Percent. */
  objective: number;
  /** Seconds. */
  window: number;
  labels: Readonly<Record<string, string>>;
}

export interface AlertDetail {
  alert: Alert;
  slo: SloSummary;
  figures: EvaluationFigures;
  runbook: RunbookRef | null;
  deploy: PrecedingDeploy;
  /** The budget each recent deploy of the service has cost the SLO so far, newest first (none recorded: empty or absent). */
  deployCosts?: readonly DeployCost[];
  links: { dashboard: string | null; query: string | null };
}

/** Where a page landed, for the messages that link to it. */
export interface PageLink {
  slack?: { channel: string; ts: string; /** `chat.getPermalink`'s answer, when Slack gave one. */ permalink?: string };
  email?: { messageId: string };
}

/**
 * A ticket whose burn now pages: its already-sent message is updated to say so and to point at the page, which
 * is a message of its own.
 */
export interface Escalation {
  /** The SLOs of this group whose page fired. */
  slos: string[];
  /** When the page was planned. */
  at: number;
  /** The page's outbox row (of the integration closest to this one). */
  pageId: string;
  /** Where the page landed; set at send time once it was delivered (absent if it was given up). */
  page?: PageLink;
}

/** What a receiver is sent: one group of alerts, firing first. */
export interface Notification {
  /** Stable id (the outbox row): also the email Message-ID's local part and the Slack message's metadata. */
  id: string;
  receiver: string;
  groupKey: string;
  groupLabels: Readonly<Record<string, string>>;
  /** `firing` while any alert of the group fires. */
  status: 'firing' | 'resolved';
  alerts: AlertDetail[];
  /** When the notification was planned. */
  createdAt: number;
  /** Set on the update that tells a ticket's thread its burn escalated to a page. */
  escalation?: Escalation;
}
