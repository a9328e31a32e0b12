import { Command, Option } from 'commander';
import type { CommandContext } from './context';
import { checkIdArguments, collectList } from './options';
import type { runEvents } from './commands/events';
import type { runRebuildAll } from './commands/rebuild-all';
import type { runReplay } from './commands/replay';
import type { runSchema } from './commands/schema';
import type { runShow } from './commands/show';
import type { runSnapshot } from './commands/snapshot';
import type { runStats } from './commands/stats';
import type { runTail } from './commands/tail';
import type { runTrace } from './commands/trace';
import type { runVerify } from './commands/verify';
import type { runForwardCommand } from './commands/forward';
import { registerArchiveCommand } from './commands/archive';
import { registerExportCommand } from './commands/export';

const SOURCE_HELP = `
The log: --db FILE, else CATALYST_EVENTS_DB, else "db" in catalyst-events.config.json
(or --config FILE), else ./data/events.db. Read commands open it read-only and never
change it. Times are UTC; --since/--until/--as-of take Unix ms, ISO 8601 or an age (15m).
--pg URL reads the shared PostgreSQL log instead (it keeps no snapshots).
Exit codes: 0 ok, 1 problems found (verify), 2 bad input.`;

/**
 * A command the application adds to the core's (the composition root adds `serve`). It
 * registers itself on the program with commander, as the core's own commands do:
 *
 *   register(program, { action, withSource }) {
 *     withSource(program.command('serve').option(...)).action(action(async (options) => run(options, ctx)));
 *   }
 */
export interface CliCommand {
  /** Adds the command to `program`; called once, when the CLI is built. */
  register(program: Command, cli: CliRegistration): void;
}

/** What a CliCommand registers with. */
export interface CliRegistration {
  readonly ctx: CommandContext;
  /** Wraps a command's run function as a commander action; what it resolves to is the exit code. */
  // Function properties, not methods: commands take them apart (`{ action, withSource }`).
  readonly action: <A extends unknown[]>(run: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;
  /** Adds --db, --pg/--pg-source (unless `pg: false`), --config and --debug. */
  readonly withSource: (command: Command, options?: { pg?: boolean }) => Command;
}

/** --db/--pg/--config on every command that reads a log, so they work after the command name. */
function withSource(command: Command, { pg = true } = {}): Command {
  // Added after the command's own options, so its help lists those first.
  // Retention (issue 19): --db repeats (or names a directory of segments) to read several files
  // as one log; `db` keeps the last one given, `dbFiles` all of them.
  command.option(
    '--db <file>',
    'the SQLite event log (repeat it, or give a directory of segments, for one log over many files)',
    (value: string) => {
      command.setOptionValue('dbFiles', [...((command.getOptionValue('dbFiles') as string[] | undefined) ?? []), value]);
      return value;
    },
  );
  if (pg) {
    command
      .option('--pg <url>', 'the PostgreSQL log the forwarder fills, instead of a file')
      .option('--pg-source <name>', 'with --pg: only the events forwarded from this source');
  }
  return command.option('--config <file>', 'a catalyst-events.config.json').option('--debug', 'show stack traces');
}

/**
 * The `catalyst-events` command tree. Each action loads its command module only when it runs
 * (--help and a quick `events` stay fast) and reports the exit code through `setExit`.
 */
export function buildProgram(ctx: CommandContext, setExit: (code: number) => void, commands: readonly CliCommand[] = []): Command {
  const { io } = ctx;
  const program = new Command('catalyst-events')
    .description('Ask a Catalyst event log what happened: list, rebuild, replay, trace, verify.')
    .version('0.1.0', '-V, --version')
    .option('--debug', 'show stack traces')
    .addHelpText('after', SOURCE_HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`${io.ce.red('catalyst-events:')} ${text.replace(/^error: /, '')}`),
    });
  // Subcommands inherit exitOverride/configureOutput from here on.
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      checkIdArguments(args); // the one id length the emitter and the viewer share
      setExit(await fn(...args));
    };

  withSource(
    program
      .command('events')
      .description('list events: a table, or --json / --ndjson')
      .option('-t, --type <types>', 'event types, comma-separated or repeated', collectList)
      .option('-a, --aggregate <type:id>', 'one aggregate, e.g. order:ord-42')
      .option('--since <time>', 'created at or after')
      .option('--until <time>', 'created at or before')
      .option('-c, --correlation <id>', 'events of one correlation id')
      .option('--text <text>', 'payload contains this text (case-insensitive)')
      .option('-n, --limit <n>', 'at most n events (0: all; default 100 for the table, all for JSON)')
      .option('--after <position>', 'start after this global position (keyset paging)')
      .option('--json', 'one JSON array')
      .option('--ndjson', 'one JSON object per line'),
  ).action(run(async (options: Parameters<typeof runEvents>[0]) => (await import('./commands/events')).runEvents(options, ctx)));

  withSource(
    program
      .command('show')
      .description("an aggregate's rebuilt state, now or as of a sequence number or time")
      .argument('<type>', 'aggregate type, as `stats` lists them')
      .argument('<id>', 'aggregate id')
      .addOption(new Option('--as-of-seq <n>', 'state after event n').conflicts('asOf'))
      .option('--as-of <time>', 'state at this time')
      .option('--full', 'list every entry of long histories')
      .option('--json', 'the state as one JSON object'),
  ).action(
    run(async (type: string, id: string, options: Parameters<typeof runShow>[2]) =>
      (await import('./commands/show')).runShow(type, id, options, ctx),
    ),
  );

  withSource(
    program
      .command('replay')
      .description('step through an aggregate: each event and the change it made (keys on a terminal)')
      .argument('<type>', 'aggregate type')
      .argument('<id>', 'aggregate id')
      .option('--from-seq <n>', 'start at this sequence number')
      .option('--to-seq <n>', 'stop after this sequence number')
      .option('--all', 'print every step even on a terminal')
      .option('--json', 'the steps as JSON (event, diff)'),
  ).action(
    run(async (type: string, id: string, options: Parameters<typeof runReplay>[2]) =>
      (await import('./commands/replay')).runReplay(type, id, options, ctx),
    ),
  );

  withSource(
    program
      .command('trace')
      .description("a trade's story: the causal tree of every event sharing a correlation id")
      .argument('<id>', 'an event id, a correlation id or an aggregate id')
      .option('--json', 'the events and how the id was resolved, as JSON')
      .addHelpText(
        'after',
        `
ID is tried in this order:
  1. an event id: its correlation group (without a correlation id: the
     events it caused, directly or through others)
  2. a correlation id: every event that carries it
  3. an aggregate id (any type, or TYPE:ID): the correlation groups of its
     events, plus its own events that carry none`,
      ),
  ).action(
    run(async (id: string, options: Parameters<typeof runTrace>[1]) => (await import('./commands/trace')).runTrace(id, options, ctx)),
  );

  withSource(
    program
      .command('tail')
      .description('follow new events as a bot writes them (Ctrl-C to stop)')
      .option('-t, --type <types>', 'event types, comma-separated or repeated', collectList)
      .option('-a, --aggregate <type:id>', 'one aggregate')
      .option('-n, --last <n>', 'first show the last n events', '10')
      .option('--from <position>', 'start after this position instead')
      .option('--interval <ms>', 'poll interval', '500')
      .option('--ndjson', 'one JSON object per line'),
  ).action(run(async (options: Parameters<typeof runTail>[0]) => (await import('./commands/tail')).runTail(options, ctx)));

  withSource(
    program.command('stats').description('counts by type and aggregate, time span, file size, corrupt rows').option('--json', 'as JSON'),
  ).action(run(async (options: Parameters<typeof runStats>[0]) => (await import('./commands/stats')).runStats(options, ctx)));

  withSource(
    program
      .command('verify')
      .description('check integrity; exit 1 when anything is wrong')
      .option('--json', 'the report as JSON')
      .option('--max-listed <n>', 'problems listed per check', '20')
      .addHelpText(
        'after',
        `
Checks: SQLite quick_check; sequence numbers per aggregate (1, 2, 3... no
gap, no duplicate); rows whose JSON does not parse; events that fail their
plugin's schema (types no plugin knows are listed, not failed); snapshots
that disagree with a rebuild from the events.`,
      ),
  ).action(run(async (options: Parameters<typeof runVerify>[0]) => (await import('./commands/verify')).runVerify(options, ctx)));

  program
    .command('schema')
    .description("the event reference, generated from the plugins' zod schemas")
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json-schema', 'markdown']).default('markdown'))
    .option('-o, --out <dir>', 'write a file into this directory instead of stdout')
    .option('--config <file>', 'a catalyst-events.config.json (its plugins)')
    .option('--debug', 'show stack traces')
    .action(run(async (options: Parameters<typeof runSchema>[0]) => (await import('./commands/schema')).runSchema(options, ctx)));

  withSource(
    program
      .command('snapshot')
      .description('write a snapshot of each aggregate (of a type, or one) at its current state: WRITES the file')
      .argument('[type]', 'only this aggregate type')
      .argument('[id]', 'only this aggregate')
      .option('--json', 'the outcome as JSON'),
    { pg: false },
  ).action(
    run(async (type: string | undefined, id: string | undefined, options: Parameters<typeof runSnapshot>[2]) =>
      (await import('./commands/snapshot')).runSnapshot(type, id, options, ctx),
    ),
  );

  withSource(
    program
      .command('rebuild-all')
      .description('rebuild every aggregate (of a type), snapshotting per the config policy: WRITES the file')
      .argument('[type]', 'only this aggregate type')
      .option('--json', 'the outcome as JSON'),
    { pg: false },
  ).action(
    run(async (type: string | undefined, options: Parameters<typeof runRebuildAll>[1]) =>
      (await import('./commands/rebuild-all')).runRebuildAll(type, options, ctx),
    ),
  );

  withSource(
    program
      .command('forward')
      .description('ship the log to PostgreSQL (idempotent, resumable); --follow keeps shipping')
      .option('--to <url>', 'postgres://user@host:port/database')
      .option('-f, --follow', 'keep shipping as the bot writes, until Ctrl-C')
      .option('--source <name>', "this log's name in PostgreSQL (default: from the file)")
      .option('--batch <n>', 'rows per PostgreSQL transaction (default 1000)')
      .option('--json', 'print the result as JSON'),
    { pg: false },
  ).action(
    run(async (options: Parameters<typeof runForwardCommand>[0]) => (await import('./commands/forward')).runForwardCommand(options, ctx)),
  );

  // Retention (issue 19): export for analysis, archive segments.
  registerExportCommand(program, { ctx, action: run, withSource });
  registerArchiveCommand(program, { ctx, action: run, withSource });

  const registration: CliRegistration = { ctx, action: run, withSource };
  for (const command of commands) command.register(program, registration);
  return program;
}
