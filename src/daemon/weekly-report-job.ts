import type { Logger } from '../log.js';
import type { WeeklyReports } from '../wiring/report-job.js';
import { SerialJob } from './serial-job.js';

/**
 * The weekly reports on their cron schedule, read in the report's time zone; while a send failed, retried hourly
 * (at :17; the send itself skips what was sent).
 */
export function weeklyReportJob(reports: WeeklyReports, log: Logger): SerialJob {
  let lastFailed = 0;
  return new SerialJob({
    name: 'weekly-report',
    work: async () => {
      lastFailed = (await reports.send()).failed;
    },
    triggers: [
      { cron: reports.schedule, timeZone: reports.timeZone },
      { cron: '17 * * * *', timeZone: reports.timeZone, when: () => lastFailed > 0 },
    ],
    log,
    failed: 'weekly reports failed',
  });
}
