/**
 * `npm start`: one simulated trading day of the Catalyst paper bot, recorded as events.
 * See `npm start -- --help` for the options.
 */
import { parseRunOptions, UsageExit } from './cli-options';
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
  if (error instanceof UsageExit) {
    process.exitCode = error.exitCode;
  } else {
    const { message, exitCode } = describeError(error);
    process.stderr.write(`paper-bot: ${message}\n`);
    process.exitCode = exitCode;
  }
}
