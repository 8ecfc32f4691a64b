export { buildReport, project, type BuildReportInput, type ReportSlo, type SloReportInput } from './build-report.js';
export { collectReportInput, type CollectOptions, type ReportSources } from './collect-report-input.js';
export { budgetChartOption, burnChartOption, chartSize, renderChartSvg, renderReportCharts } from './charts.js';
export { formatIsoWeek, lastCompleteWeek, parseIsoWeek, weekAt, weekBounds, type IsoWeek, type WeekBounds } from './iso-week.js';
export { renderReportEmail, renderReportPage, renderReportText, type ReportEmail } from './render-report.js';
export type { WeeklyReport, SloWeek, DeployCost, AlertInterval } from './report-model.js';
export { svgToPng } from './svg-to-png.js';
export { noTeam, slosByTeam, teamOf } from './teams.js';
