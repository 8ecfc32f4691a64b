/**
 * One step of the notification pipeline, after Alertmanager's `notify.Stage`: a pure function of what the step
 * before it passed on and the time. Stages read nothing and write nothing; the dispatcher reads the store before
 * the pipeline runs and applies the plan it returns in one transaction.
 */
export type Stage<In, Out> = (input: In, now: number) => Out;

/** Two stages in sequence (Alertmanager's `MultiStage`): the second is given what the first answered. */
export function multiStage<A, B, C>(first: Stage<A, B>, second: Stage<B, C>): Stage<A, C> {
  return (input, now) => second(first(input, now), now);
}

/**
 * One stage run once for each integration of a receiver (Alertmanager's `FanoutStage`), in the receiver's order.
 * The stage is told which integration it runs for; it knows nothing of what kind of integration that is.
 */
export function fanoutStage<In extends { integration: string }, Out>(stage: Stage<In, Out>): Stage<Omit<In, 'integration'> & { integrations: readonly string[] }, Out[]> {
  return (input, now) => input.integrations.map((integration) => stage({ ...input, integration } as unknown as In, now));
}
