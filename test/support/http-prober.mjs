// A load generator in its own process (as health checks and CI gates are): GETs each target at a fixed rate
// (a slow answer does not delay the next request, so time the server was blocked shows in every probe it held up)
// and, on the message 'stop', replies with each target's latencies in ms, its answer statuses (0: no answer) and
// the first body of each status of 500 and up.
// argv: base URL, then name=path@intervalMs pairs. Header `authorization` from BURNRATE_PROBER_AUTH when set.
/* global process, performance, fetch, AbortSignal, setTimeout, clearTimeout */
const [base, ...specs] = process.argv.slice(2);
const headers = process.env.BURNRATE_PROBER_AUTH ? { authorization: process.env.BURNRATE_PROBER_AUTH } : {};
const results = {};
const timers = new Map();
let stopping = false;
const inFlight = new Set();

for (const spec of specs) {
  const name = spec.slice(0, spec.indexOf('='));
  const path = spec.slice(spec.indexOf('=') + 1, spec.lastIndexOf('@'));
  const interval = Number(spec.slice(spec.lastIndexOf('@') + 1));
  const result = (results[name] = { latencies: [], statuses: {}, errorBodies: {} });
  const started = performance.now();
  let sent = 0;
  const fire = () => {
    if (stopping) return;
    const at = performance.now();
    const probe = fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(10_000) })
      .then(async (response) => {
        const body = await response.text();
        if (response.status >= 500) result.errorBodies[response.status] ??= body.slice(0, 500);
        return response.status;
      })
      .catch(() => 0)
      .then((status) => {
        result.latencies.push(performance.now() - at);
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      });
    inFlight.add(probe);
    void probe.finally(() => inFlight.delete(probe));
    sent += 1;
    timers.set(name, setTimeout(fire, Math.max(0, started + sent * interval - performance.now())));
  };
  fire();
}

process.on('message', async (message) => {
  if (message !== 'stop') return;
  stopping = true;
  for (const timer of timers.values()) clearTimeout(timer);
  await Promise.all(inFlight);
  process.send(results, () => process.exit(0));
});
process.send('ready');
