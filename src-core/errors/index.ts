/**
 * Every error the core throws on purpose. One base class, a `code` per kind, and an
 * `isXxxError` guard for each. The guards recognise only this package's errors: a brand on
 * CatalystError's prototype (a registered symbol, so two copies of the package — its ESM and
 * CommonJS builds, or a plugin's own copy — still know each other's), then the code. Node's
 * ENOENT or SQLite's SQLITE_BUSY carry a string `code` too and are not ours.
 */

const BRAND = Symbol.for('catalyst-events.error');

/**
 * Base class of every error the core throws on purpose. `code` names the kind; test for a kind
 * with {@link isCatalystError} or the matching `isXxxError` guard rather than `instanceof`, which
 * fails across two copies of the package.
 */
export abstract class CatalystError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
// On the prototype, not each instance: an error rebuilt from its class's prototype (the
// writer thread's protocol) is branded too.
Object.defineProperty(CatalystError.prototype, BRAND, { value: true });

/** Whether `error` is one of this package's errors (any copy of it). */
export function isCatalystError(error: unknown): error is CatalystError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

function hasCode(error: unknown, code: string): boolean {
  return isCatalystError(error) && error.code === code;
}

/** Another writer appended to the aggregate since the caller read it. */
export class ConcurrencyError extends CatalystError {
  readonly code = 'CONCURRENCY';
  constructor(
    readonly aggregateType: string,
    readonly aggregateId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `${aggregateType}:${aggregateId} is at version ${actualVersion}, expected ${expectedVersion}; ` + `re-read the aggregate and retry`,
    );
  }
}
/** Whether `e` is a {@link ConcurrencyError} from any copy of this package. */
export const isConcurrencyError = (e: unknown): e is ConcurrencyError => hasCode(e, 'CONCURRENCY');

/** One problem found by an event's schema. */
export interface ValidationIssue {
  /** Dotted path into the event, e.g. `payload.quantity`. */
  path: string;
  /** What is wrong at `path`, in the schema's words. */
  message: string;
}

/** An event failed its schema; nothing was written. */
export class ValidationError extends CatalystError {
  readonly code = 'VALIDATION';
  constructor(
    readonly eventType: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`invalid ${eventType} event: ` + issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '));
  }
}
/** Whether `e` is a {@link ValidationError} from any copy of this package. */
export const isValidationError = (e: unknown): e is ValidationError => hasCode(e, 'VALIDATION');

/** The file was written by a newer version of this code. */
export class SchemaVersionError extends CatalystError {
  readonly code = 'SCHEMA_VERSION';
  constructor(
    readonly file: string,
    /** A number, or the text found when it is not one ('2.0-beta'). */
    readonly fileVersion: number | string,
    readonly supportedVersion: number,
  ) {
    super(
      `${file} has schema version ${fileVersion}; this catalyst-events supports up to ${supportedVersion}. ` +
        `Upgrade catalyst-events to read it.`,
    );
  }
}
/** Whether `e` is a {@link SchemaVersionError} from any copy of this package. */
export const isSchemaVersionError = (e: unknown): e is SchemaVersionError => hasCode(e, 'SCHEMA_VERSION');

/** The same event id was appended again with different content. */
export class DuplicateEventError extends CatalystError {
  readonly code = 'DUPLICATE_EVENT';
  constructor(
    readonly eventId: string,
    readonly difference: string,
  ) {
    super(`event ${eventId} already exists with different content (${difference}); event ids must be unique`);
  }
}
/** Whether `e` is a {@link DuplicateEventError} from any copy of this package. */
export const isDuplicateEventError = (e: unknown): e is DuplicateEventError => hasCode(e, 'DUPLICATE_EVENT');

/** No such file, not a SQLite file, or no event log in it. */
export class StoreOpenError extends CatalystError {
  readonly code = 'STORE_OPEN';
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot open ${file}: ${reason}`, options);
  }
}
/** Whether `e` is a {@link StoreOpenError} from any copy of this package. */
export const isStoreOpenError = (e: unknown): e is StoreOpenError => hasCode(e, 'STORE_OPEN');

/** A write through a store opened read-only. */
export class ReadOnlyStoreError extends CatalystError {
  readonly code = 'READ_ONLY';
  constructor(readonly operation: string) {
    super(`${operation} refused: the store is open read-only`);
  }
}
/** Whether `e` is a {@link ReadOnlyStoreError} from any copy of this package. */
export const isReadOnlyStoreError = (e: unknown): e is ReadOnlyStoreError => hasCode(e, 'READ_ONLY');

/** The database refused a write (disk full, locked past the retry bound, I/O error). Nothing of the batch was kept. */
export class StoreWriteError extends CatalystError {
  readonly code = 'STORE_WRITE';
  constructor(
    readonly reason: string,
    readonly sqliteCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`append failed, nothing written: ${reason}`, options);
  }
}
/** Whether `e` is a {@link StoreWriteError} from any copy of this package. */
export const isStoreWriteError = (e: unknown): e is StoreWriteError => hasCode(e, 'STORE_WRITE');

/** An event type, aggregate type or plugin nobody registered. */
export class UnknownTypeError extends CatalystError {
  readonly code = 'UNKNOWN_TYPE';
  constructor(
    readonly kind: 'event' | 'aggregate' | 'plugin' | 'hook',
    readonly typeName: string,
    readonly known: readonly string[] = [],
  ) {
    super(`unknown ${kind} type '${typeName}'` + (known.length ? ` (known: ${known.join(', ')})` : ''));
  }
}
/** Whether `e` is an {@link UnknownTypeError} from any copy of this package. */
export const isUnknownTypeError = (e: unknown): e is UnknownTypeError => hasCode(e, 'UNKNOWN_TYPE');

/** A plugin failed validation or could not be loaded (missing dependency, cycle, API range, conflict). */
export class PluginError extends CatalystError {
  readonly code = 'PLUGIN';
  constructor(
    readonly plugins: readonly string[],
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`plugin ${plugins.join(', ')}: ${reason}`, options);
  }
}
/** Whether `e` is a {@link PluginError} from any copy of this package. */
export const isPluginError = (e: unknown): e is PluginError => hasCode(e, 'PLUGIN');

/** The config file or an environment override is invalid. */
export class ConfigError extends CatalystError {
  readonly code = 'CONFIG';
  constructor(
    readonly source: string,
    reason: string,
  ) {
    super(`invalid configuration in ${source}: ${reason}`);
  }
}
/** Whether `e` is a {@link ConfigError} from any copy of this package. */
export const isConfigError = (e: unknown): e is ConfigError => hasCode(e, 'CONFIG');

/** The buffered emitter's queue is full and the caller asked not to block. */
export class QueueFullError extends CatalystError {
  readonly code = 'QUEUE_FULL';
  constructor(readonly capacity: number) {
    super(`event queue is full (${capacity} events); flush failed or is falling behind`);
  }
}
/** Whether `e` is a {@link QueueFullError} from any copy of this package. */
export const isQueueFullError = (e: unknown): e is QueueFullError => hasCode(e, 'QUEUE_FULL');

/** The emitter or store was used after close(). */
export class ClosedError extends CatalystError {
  readonly code = 'CLOSED';
  constructor(readonly what: string) {
    super(`${what} is closed`);
  }
}
/** Whether `e` is a {@link ClosedError} from any copy of this package. */
export const isClosedError = (e: unknown): e is ClosedError => hasCode(e, 'CLOSED');

export { type ErrorReporter, StderrErrorReporter } from './reporter';
