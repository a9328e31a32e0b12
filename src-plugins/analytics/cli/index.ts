/**
 * The analytics commands the composition root adds to the core's CLI: `trades`, `report`
 * and `book`. They call the same functions as the viewer (loadTrades, loadReport, loadBook).
 * This entry is the light one: the commands' run modules load when a command runs.
 */
export { analyticsCommands, bookCommand, reportCommand, tradesCommand } from './commands';
export type { BookOptions } from './book';
export type { ReportOptions } from './report';
export type { TradesOptions } from './trades';
