/**
 * `npm start`: one simulated trading day of the Catalyst paper bot, recorded as events.
 * See `npm start -- --help` for the options.
 */
import { parseRunOptions } from './cli-options';
import { describeError, runBot } from './run';

try {
  const options = parseRunOptions(process.argv);
  const { exitCode } = await runBot(options, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    signals: process,
  });
  process.exitCode = exitCode;
} catch (error) {
  const { message, exitCode } = describeError(error);
  process.stderr.write(`paper-bot: ${message}\n`);
  process.exitCode = exitCode;
}
