import type { BenchContext, Figures } from '../lib/figures';

/** Forward throughput to PostgreSQL vs the local append rate (bench/forward.ts; skipped without PostgreSQL). */
export async function forwardSuite(ctx: BenchContext): Promise<Figures> {
  try {
    const { measureForward } = await import('../forward');
    return await measureForward(ctx);
  } catch (error) {
    ctx.log(`forward: skipped (${(error as Error).message.split('\n')[0]})`);
    return {};
  }
}
