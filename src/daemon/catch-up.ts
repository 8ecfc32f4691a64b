/**
 * Evaluation times missed between the last stored evaluation and `target` (exclusive), so that history
 * and alert transitions cover downtime. At most `maxSteps`: a longer gap is replayed at a wider step.
 */
export function catchUpTimes(last: number | undefined, target: number, bucket: number, maxSteps: number): number[] {
  if (last === undefined || maxSteps === 0) return [];
  const missed = Math.floor((target - last) / bucket) - 1;
  if (missed <= 0) return [];
  const stride = Math.ceil(missed / maxSteps) * bucket;
  const times: number[] = [];
  for (let at = target - stride; at > last; at -= stride) times.push(at);
  return times.reverse();
}
