import { z } from 'zod';
import type { CatalystPlugin } from '../../../src-core/plugins/types';

/** How many times the meter reducer ran: what "folds once" is measured by. */
export const meterFolds = { count: 0 };

export interface MeterState {
  count: number;
  last: number | null;
  status: 'idle' | 'ticking';
}

/** A minimal third-party plugin (one event type, one reducer), independent of the built-in plugins. */
export const meterPlugin: CatalystPlugin = {
  name: 'hardening-meter',
  version: '1.0.0',
  coreApi: '^1.0.0',
  register(ctx) {
    ctx.schemas.register({ eventType: 'TICKED', aggregateType: 'meter', version: '1.0', payload: z.looseObject({ n: z.number() }) });
    ctx.reducers.register<MeterState>({
      aggregateType: 'meter',
      version: 1,
      initialState: () => ({ count: 0, last: null, status: 'idle' }),
      reduce(state, event) {
        meterFolds.count++;
        return { count: state.count + 1, last: (event.payload as { n: number }).n, status: 'ticking' };
      },
    });
  },
};
