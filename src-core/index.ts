/**
 * The public API of catalyst-events' core. Plugins (built-in and third-party), the paper
 * bot, the CLI and the desktop service import from here and nowhere deeper.
 * Each module appends its own exports in its own section.
 */
import 'reflect-metadata';

// events
export * from './events/types';
export { UuidV7Generator, isUuid } from './events/ids';
// errors
export * from './errors';
// clock
export { type Clock, SystemClock, ManualClock } from './clock/clock';
// container & config
export { TOKENS } from './container/tokens';
export * from './config/config';
// store
export * from './store/types';
// emitter & causal context
export * from './emitter/types';
export { renderPrometheus, type PrometheusOptions } from './emitter/prometheus';
export { DEFAULT_SOURCE, prepareEvent, type PrepareOptions } from './emitter/prepare';
export * from './causality/types';
export { AsyncCausalContext } from './causality/async-causal-context';
// schema registry
export { SchemaRegistry } from './schema/schema-registry';
export type { RegisteredEventSchema } from './schema/registered';
export { MAX_PAYLOAD_BYTES, MAX_METADATA_BYTES, findJsonIssues } from './schema/json-safety';
export { MAX_ID_LENGTH } from './schema/envelope';
export { SEED_VERSION } from './schema/upcast';
// hooks
export * from './hooks/types';
// schema and reducer definitions (plugins/types re-exports them too)
export type { EventSchemaDefinition, Upcaster } from './schema/types';
// plugins
export * from './plugins/types';
// hooks (registry and decorator)
export { hook, applyHooks } from './hooks/decorator';
// rebuild (reducers, rebuilder, snapshots, time travel, replay steps, verify)
export * from './rebuild/types';
export { ReducerRegistry, type RegisteredReducer } from './rebuild/reducer-registry';
export { Rebuilder, VERIFY_TOLERANCE } from './rebuild/rebuilder';
export { diff, type DiffEntry, type DiffKind, type DiffOptions } from './rebuild/diff';
export { foldRecords, type UpcastSource, type FoldStart, type FoldOutcome, type FoldStep } from './rebuild/fold';
// subscriptions (checkpointed consumers of the global stream)
export * from './subscriptions/types';
export { Subscription } from './subscriptions/subscription';
export { SubscriptionFactory } from './subscriptions/subscription-factory';
// plugin loader
export { CORE_API_VERSION } from './plugins/core-api';
export type { PluginLoader, PluginEntry, LoadedPlugin, LoadOptions } from './plugins/plugin-loader';
// container (wiring, the bot entry, the reader entry)
export type { CatalystStore, CreateContainerOptions } from './container/create-container';
export { createCatalyst, openCatalystReader, type Catalyst, type CatalystReader, type CatalystOptions } from './container/create-catalyst';
export { openLog, type LogTarget, type OpenedLog } from './container/open-log';
export { readOnlyStore } from './container/read-only-store';
// scale path: the PostgreSQL query side and the forwarder that fills it
export { PostgresEventReader, type PostgresReaderOptions, type SourceSummary } from './store/postgres/postgres-event-reader';
export { runForward } from './forward/forwarder';
// retention: a log over many files, archive segments, export for analysis
export { SegmentedLog, type Segment, type SegmentCorruptEvent } from './segments/segmented-log';
export { openSegmentedLog, expandSegmentPaths, isSingleFile, segmentFiles } from './segments/open-segments';
export { runArchive, type ArchiveOptions, type ArchiveOutcome } from './archive/run-archive';
export { exportLog, type ExportOptions, type ExportResult, type ExportedTable } from './export/export-log';
export type { ForwardOptions, ForwardProgress, ForwardResult, BatchInfo } from './forward/types';
// the CLI: its entry (catalyst-events/cli) is light; opening a log the way its commands do is here
export {
  runCli,
  main as runCliMain,
  type RunCliOptions,
  type CliCommand,
  type CliRegistration,
  type CommandContext,
  type CliIo,
  type LogSource,
  EXIT,
  CliUsageError,
  isCliUsageError,
  parseCount,
  parseTime,
  parseAggregateRef,
  type PluginList,
  type LoadedConfig,
  type SourceOptions,
  type OpenContext,
} from './cli';
export { resolveConfig, pluginsOf, resolvePluginList } from './cli/source-options';
export { openReader } from './cli/log-source';
export { openPluginSession } from './cli/plugin-session';
