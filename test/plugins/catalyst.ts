import { createCatalyst, ManualClock, type Catalyst, type CatalystPlugin, type ErrorReporter, type StoredEvent } from '../../src-core';
import { tempDir } from '../support/temp';

export const T0 = Date.UTC(2025, 0, 2, 14, 30);

export interface TestCatalyst {
  catalyst: Catalyst;
  clock: ManualClock;
  /** Errors the core reported (hook handler failures land here). */
  errors: Array<{ error: unknown; where: string }>;
  /** Every committed event, in order. */
  events: StoredEvent[];
  ofType(type: string): StoredEvent[];
  close(): Promise<void>;
}

/** A real catalyst on a temp SQLite file, with the given plugins and a manual clock. */
export async function testCatalyst(
  plugins: CatalystPlugin[],
  options: { pluginOptions?: Record<string, Record<string, unknown>>; mode?: 'sync' | 'buffered' } = {},
): Promise<TestCatalyst> {
  const tmp = tempDir('plugins-');
  const clock = new ManualClock(T0);
  const errors: TestCatalyst['errors'] = [];
  const reporter: ErrorReporter = { report: (error, context) => void errors.push({ error, where: context.where }) };
  const catalyst = await createCatalyst(
    {
      db: tmp.file('events.db'),
      pluginOptions: options.pluginOptions ?? {},
      emitter: { mode: options.mode ?? 'sync', handleSignals: false },
    },
    { plugins, clock, reporter },
  );
  const events: StoredEvent[] = [];
  catalyst.emitter.onAll((e) => void events.push(e));
  return {
    catalyst,
    clock,
    errors,
    events,
    ofType: (type) => events.filter((e) => e.event_type === type),
    close: async () => {
      await catalyst.close();
      tmp.cleanup();
    },
  };
}
