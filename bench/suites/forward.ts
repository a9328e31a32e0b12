import type { BenchContext, Figures } from '../lib/figures';

/** Forward throughput to PostgreSQL: provided by bench/forward.ts when PostgreSQL is installed. */
export async function forwardSuite(ctx: BenchContext): Promise<Figures> {
  try {
    const mod = (await import('../forward')) as { forwardFigures?: (ctx: BenchContext) => Promise<Figures> };
    if (mod.forwardFigures) return await mod.forwardFigures(ctx);
  } catch (error) {
    ctx.log(`forward: skipped (${(error as Error).message.split('\n')[0]})`);
  }
  return {};
}
