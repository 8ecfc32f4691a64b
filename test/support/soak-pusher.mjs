// The soak's pushes, generated and sent from their own process (building 100,000 lines would otherwise hold the
// daemon's event loop in the test process). On {t} (unix seconds): a push of `series` counters of
// http_requests_total at t, then `batchSeries` series of `batchSamples` samples over the `step` seconds ending at t.
// Replies with the answer statuses. argv: base URL, start (unix seconds), series, batchSeries, batchSamples, step.
/* global process, fetch */
const [base, ...numbers] = process.argv.slice(2);
const [start, series, batchSeries, batchSamples, step] = numbers.map(Number);
const headers = { authorization: process.env.BURNRATE_PROBER_AUTH ?? '', 'content-type': 'text/plain' };

function seriesPush(t) {
  const lines = [];
  for (let pod = 0; pod < series; pod++) {
    // 20 requests a second; every twentieth series all errors.
    const code = pod % 20 === 0 ? '500' : '200';
    lines.push(`http_requests_total{service="checkout",code="${code}",pod="p${pod}"} ${(t - start) * 20} ${t * 1000}`);
  }
  return `${lines.join('\n')}\n`;
}

function samplesPush(t) {
  const lines = [];
  const spacingMs = (step * 1000) / batchSamples;
  for (let s = 0; s < batchSeries; s++) {
    for (let i = 0; i < batchSamples; i++) {
      const at = t * 1000 - (batchSamples - 1 - i) * spacingMs;
      lines.push(`soak_batch_total{batch="b${s}"} ${at - start * 1000} ${at}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

process.on('message', async ({ t }) => {
  const statuses = [];
  for (const body of [seriesPush(t), samplesPush(t)]) {
    const response = await fetch(`${base}/api/v1/ingest`, { method: 'POST', headers, body });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  process.send(statuses);
});
process.send('ready');
