/**
 * The analytics commands the composition root adds to the core's CLI: `trades`, `report`
 * and `book`. They call the same functions as the viewer (loadTrades, loadReport, loadBook).
 */
import type { CliCommand } from '../../../src-core';
import { bookCommand } from './book';
import { reportCommand } from './report';
import { tradesCommand } from './trades';

export { bookCommand, reportCommand, tradesCommand };
export { runBook, type BookOptions } from './book';
export { runReport, type ReportOptions } from './report';
export { runTrades, tradeQuery, type TradesOptions } from './trades';

export const analyticsCommands: readonly CliCommand[] = [tradesCommand, reportCommand, bookCommand];
