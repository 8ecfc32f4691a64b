/** Timing and behaviour of one route's aggregation groups (Alertmanager's route options). Seconds. */
export interface GroupSettings {
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  sendResolved: boolean;
}

/** One group an alert belongs to: a route it matched and the values of that route's group_by labels. */
export interface RoutedGroup {
  routeId: string;
  receiver: string;
  groupKey: string;
  groupLabels: Readonly<Record<string, string>>;
  settings: GroupSettings;
}

/** What the dispatcher needs of the routing tree and the receivers. */
export interface RoutingPort {
  route(labels: Readonly<Record<string, string>>): RoutedGroup[];
  /** Settings of a route by id; undefined when the route no longer exists (config changed). */
  settings(routeId: string): GroupSettings | undefined;
  /** Integration ids of a receiver, e.g. `payments/slack`, `payments/email`. */
  integrations(receiver: string): string[];
}
