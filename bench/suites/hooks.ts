import { join } from 'node:path';
import { z } from 'zod';
import type { CatalystPlugin } from '../../src-core';
import { hook } from '../../src-core/hooks/decorator';
import { createCatalyst } from '../../src-core/container/create-catalyst';
import { median, timeMs, type BenchContext, type Figures } from '../lib/figures';

/**
 * A bot's price tick as it really is: mark 32 open positions to market and check their
 * stops. The decorator's cost is judged against a method that does a bot's work, not
 * against an empty function.
 */
class Book {
  readonly qty = new Float64Array(32).map((_, i) => 100 + i);
  readonly entry = new Float64Array(32).map((_, i) => 50 + i / 10);
  readonly stop = new Float64Array(32).map((_, i) => 45 + i / 10);
  tick(price: number): number {
    let pnl = 0;
    let stops = 0;
    for (let i = 0; i < 32; i++) {
      const p = price + i / 10;
      pnl += (p - this.entry[i]!) * this.qty[i]!;
      if (p <= this.stop[i]!) stops++;
    }
    return pnl + stops;
  }
}

class PlainBot extends Book {
  onPrice(price: number): number {
    return this.tick(price);
  }
}

class HookedBot extends Book {
  @hook('bench.price')
  onPrice(price: number): number {
    return this.tick(price);
  }
}

const tickPlugin: CatalystPlugin = {
  name: 'bench-ticks',
  version: '1.0.0',
  coreApi: '^1.0.0',
  register(ctx) {
    ctx.schemas.register({ eventType: 'BENCH_PRICED', aggregateType: 'bench', version: '1.0', payload: z.looseObject({ price: z.number(), pnl: z.number() }) });
    ctx.hooks.on<undefined>('bench.price', {
      after(call, result) {
        ctx.emitter.emit({ event_type: 'BENCH_PRICED', aggregate_type: 'bench', aggregate_id: 'book', payload: { price: call.args[0] as number, pnl: result as number } });
      },
    });
  },
};

type Loop = (bot: { onPrice(p: number): number }, n: number) => number;
/** A separate loop function per variant, so one variant's call-site feedback never slows another's. */
function makeLoop(): Loop {
  return new Function('bot', 'n', 'let acc = 0; for (let i = 0; i < n; i++) acc += bot.onPrice(50 + (i % 100) / 100); return acc;') as Loop;
}

export async function hooksSuite(ctx: BenchContext): Promise<Figures> {
  const n = ctx.quick ? 200_000 : 1_000_000;
  const withPluginN = ctx.quick ? 20_000 : 100_000;
  const bare = await createCatalyst({ db: join(ctx.dir, 'hooks-bare.db') }, { plugins: [] });
  const plain = new PlainBot();
  const unbound = new HookedBot();
  const noPlugin = bare.bind(new HookedBot());
  const loaded = await createCatalyst(
    { db: join(ctx.dir, 'hooks-plugin.db'), emitter: { mode: 'buffered', batchSize: 1000, handleSignals: false } },
    { plugins: [tickPlugin] },
  );
  const withPlugin = loaded.bind(new HookedBot());
  const loops = { plain: makeLoop(), unbound: makeLoop(), noPlugin: makeLoop(), plugin: makeLoop() };
  // warm up every path so the JIT has settled before timing
  loops.plain(plain, n / 4);
  loops.unbound(unbound, n / 4);
  loops.noPlugin(noPlugin, n / 4);
  loops.plugin(withPlugin, withPluginN / 4);
  const t: Record<'plain' | 'unbound' | 'noPlugin' | 'plugin', number[]> = { plain: [], unbound: [], noPlugin: [], plugin: [] };
  for (let trial = 0; trial < 7; trial++) {
    t.plain.push(timeMs(() => loops.plain(plain, n)) / n);
    t.noPlugin.push(timeMs(() => loops.noPlugin(noPlugin, n)) / n);
    t.unbound.push(timeMs(() => loops.unbound(unbound, n)) / n);
    t.plugin.push(timeMs(() => { loops.plugin(withPlugin, withPluginN); loaded.emitter.flush(); }) / withPluginN);
  }
  const events = (await loaded.store.stats()).total;
  await bare.close();
  await loaded.close();
  if (events === 0) throw new Error('the plugin recorded nothing');
  const ns = (ms: number) => ms * 1e6;
  const base = median(t.plain);
  return {
    'hooks.undecorated': { value: ns(base), unit: 'ns/call', note: 'mark 32 positions to market' },
    'hooks.no_plugin_overhead': { value: ns(median(t.noPlugin)), unit: 'ns/call', ratio: median(t.noPlugin) / base, baseline: 'hooks.undecorated', goal: '<= 1.05', note: 'bound to a catalyst with no plugin loaded' },
    'hooks.unbound_overhead': { value: ns(median(t.unbound)), unit: 'ns/call', ratio: median(t.unbound) / base, baseline: 'hooks.undecorated', note: 'decorated, never bound' },
    'hooks.plugin_buffered': { value: ns(median(t.plugin)), unit: 'ns/call', ratio: median(t.plugin) / base, baseline: 'hooks.undecorated', note: 'one validated event per call, buffered, flushed' },
  };
}
