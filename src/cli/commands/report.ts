import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildReport } from '../../report/build-report.js';
import { collectReportInput } from '../../report/collect-report-input.js';
import { checkTimeZone, formatIsoWeek, lastCompleteWeek, parseIsoWeek, weekBounds } from '../../report/iso-week.js';
import { renderReportPage, renderReportText } from '../../report/render-report.js';
import { reportLink, reportSettingsOf } from '../../report/report-settings.js';
import { slosByTeam } from '../../report/teams.js';
import { readConfig, readSlos, type CommonOptions } from '../context.js';
import { CliError, exitCodes, type CliIo } from '../io.js';
import { withStores } from '../with-database.js';

interface ReportOptions extends CommonOptions {
  week?: string;
  team?: string;
  out?: string;
  timezone?: string;
}

export function registerReport(program: Command, io: CliIo, setExit: (code: number) => void, now: () => number): void {
  program
    .command('report')
    .description("render a team's weekly error-budget report from stored evaluations (a preview of what is sent on Mondays)")
    .option('--week <week>', 'ISO week, e.g. 2026-W47 (default: the last complete week)')
    .option('--team <team>', 'only this team (the `team` label of the SLOs)')
    .option('--out <file>', 'write the HTML report, charts inline, to this file (default: plain text on stdout)')
    .option('--timezone <zone>', 'IANA time zone of the week (default: reports.timezone of the config)')
    .action((_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ReportOptions>();
      const config = readConfig(options, io);
      const settings = reportSettingsOf(config);
      const timeZone = options.timezone ?? settings.timeZone;
      try {
        checkTimeZone(timeZone);
      } catch (error) {
        throw new CliError(`--timezone: ${(error as Error).message}`, exitCodes.usage);
      }
      const week = options.week === undefined ? lastCompleteWeek(now(), timeZone) : parseIsoWeek(options.week);
      if (!week) throw new CliError(`--week: expected an ISO week such as 2026-W47, got "${options.week}"`, exitCodes.usage);
      const teams = slosByTeam(readSlos(config, io));
      const chosen = options.team === undefined ? [...teams.keys()] : [options.team];
      if (options.team !== undefined && !teams.has(options.team)) {
        throw new CliError(`--team: no SLO has team "${options.team}"; teams: ${[...teams.keys()].join(', ')}`, exitCodes.invalid);
      }
      if (options.out !== undefined && chosen.length > 1) throw new CliError(`--out writes one team's report: add --team (${chosen.join(', ')})`, exitCodes.usage);
      withStores(config, 'existing', ({ evaluations, alerts, deploys, ledger }) => {
        const sources = { evaluations, alerts, deploys, ledger };
        const bounds = weekBounds(week, timeZone);
        for (const team of chosen) {
          const input = collectReportInput(sources, team, teams.get(team)!, bounds, { deployWindow: settings.deployWindow, now: now(), related: config.deploys.related });
          const report = buildReport(input);
          const link = reportLink(settings, team, formatIsoWeek(week));
          if (options.out !== undefined) {
            const path = resolve(process.cwd(), options.out);
            writeFileSync(path, renderReportPage(report, link === undefined ? {} : { link }));
            io.stdout.write(`wrote ${path}: ${team}, ${report.week}\n`);
          } else {
            io.stdout.write(`${renderReportText(report, link === undefined ? {} : { link })}\n`);
          }
        }
        setExit(exitCodes.ok);
      });
    });
}
