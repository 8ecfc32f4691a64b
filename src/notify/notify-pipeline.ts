import type { StoredAlert } from '../alerting/alert-store.js';
import { dedupStage, type LaneInput, type LaneLog } from './dedup-stage.js';
import { escalationRows, type PlannedPage } from './escalation.js';
import { groupTiming, nextFlushAt, type DueGroup } from './group-timing.js';
import type { PageOf } from './inhibit-stage.js';
import { mutedAlerts } from './muting.js';
import type { GroupFlush, GroupRow, NotifyPlan } from './notify-plan.js';
import { planStage, type LanePlan, type LaneTarget, type PlanTools } from './plan-stage.js';
import { groupIdOf, routeStage } from './route-stage.js';
import type { RoutingPort } from './routing-port.js';
import type { IsSilenced } from './silence-stage.js';
import { fanoutStage, multiStage, type Stage } from './stage.js';

/** What the pipeline is given: the store's state at the beat, read by the dispatcher, and the routing tree. */
export interface PipelineInput extends PlanTools {
  /** The notifiable alerts (firing and resolved). */
  alerts: readonly StoredAlert[];
  pageOf: PageOf;
  isSilenced: IsSilenced;
  routing: RoutingPort;
  /** The aggregation groups already open. */
  groups: readonly GroupRow[];
  /** A lane's notification log entry as stored before this beat. */
  nflog: (groupId: string, integration: string) => LaneLog | undefined;
}

type LaneContext = Omit<LaneInput, 'entry'> & Omit<LaneTarget, 'integration'> & PlanTools & { nflog: PipelineInput['nflog'] };

/** One lane (group × integration): its log entry, then dedup, then plan. */
const laneStage: Stage<LaneContext & { integration: string }, LanePlan> = multiStage(
  (lane: LaneContext & { integration: string }) => ({ ...lane, entry: lane.nflog(lane.groupId, lane.integration) }),
  multiStage(dedupStage, planStage),
);
/** Every integration of the group's receiver (Alertmanager's FanoutStage): whatever their kind, the same lane. */
const receiverStage = fanoutStage(laneStage);

/**
 * One delivery beat as stages: inhibit and silence (what is muted), route (alerts into groups), group timing
 * (which groups open, drop or flush now), then for each due group a fanout over its receiver's integrations of
 * dedup → plan, and the escalation notes of the pages planned. Pure: the answer is the plan the store applies in
 * one transaction, and how many notifications it sends.
 */
export function notifyPipeline(input: PipelineInput, now: number): { plan: NotifyPlan; planned: number } {
  const { alerts, routing } = input;
  const muted = mutedAlerts(alerts, input.pageOf, input.isSilenced);
  const members = routeStage({ alerts, route: (labels) => routing.route(labels) });
  const timing = groupTiming({ known: input.groups, members, muted, settingsOf: (routeId) => routing.settings(routeId) }, now);
  // Later lanes of this beat (an escalation reading a ticket's lane) see the decisions made before them.
  const decided = new Map<string, LaneLog>();
  const nflog = (groupId: string, integration: string) => decided.get(groupIdOf(groupId, integration)) ?? input.nflog(groupId, integration);
  let planned = 0;
  const flushes = timing.due.map((due): GroupFlush => {
    const lanes = receiverStage(laneContext(due, muted, nflog, input), now);
    const decisions = lanes.flatMap((lane) => (lane.record ? [lane.record] : []));
    for (const record of decisions) decided.set(groupIdOf(record.groupId, record.integration), record.entry);
    planned += lanes.filter((lane) => lane.planned).length;
    const pages = lanes.flatMap((lane) => (lane.page ? [lane.page] : []));
    const open = lanes.some((lane) => lane.open);
    return { groupId: due.group.groupId, groupKey: due.group.groupKey, decisions, escalations: pages.length > 0 ? escalate(pages, nflog, input, now) : [], nextFlushAt: nextFlushAt(open, due.settings, now) };
  });
  return { plan: { opened: timing.opened, dropped: timing.dropped, flushes }, planned };
}

function laneContext(due: DueGroup, muted: ReadonlySet<string>, nflog: PipelineInput['nflog'], input: PipelineInput): LaneContext & { integrations: string[] } {
  const { group, settings, alerts } = due;
  return {
    alerts,
    muted,
    settings,
    groupId: group.groupId,
    groupKey: group.groupKey,
    receiver: group.receiver,
    groupLabels: group.labels,
    integrations: input.routing.integrations(group.receiver),
    nflog,
    newId: input.newId,
    describe: input.describe,
  };
}

/** The notes on the ticket lanes whose SLOs the pages just planned newly page. */
function escalate(pages: PlannedPage[], nflog: PipelineInput['nflog'], input: PipelineInput, now: number) {
  const { routing } = input;
  return escalationRows({
    pages,
    alerts: input.alerts,
    lanesOf: (ticket) =>
      routing.route(ticket.labels).flatMap((routed) => {
        const groupId = groupIdOf(routed.routeId, routed.groupKey);
        return routing.integrations(routed.receiver).flatMap((integration) => {
          const entry = nflog(groupId, integration);
          return entry ? [{ groupId, routed, integration, entry }] : [];
        });
      }),
    describe: (shown) => shown.map((alert) => input.describe(alert)),
    newId: input.newId,
    now,
  });
}
