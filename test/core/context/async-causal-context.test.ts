import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { AsyncCausalContext } from '../../../src-core/causality/async-causal-context';
import { TOKENS } from '../../../src-core/container/tokens';
import type { CausalContext } from '../../../src-core/causality/types';
import { isUuid } from '../../../src-core/events/ids';

describe('AsyncCausalContext', () => {
  it('has no scope outside run()', () => {
    expect(new AsyncCausalContext().current()).toBeUndefined();
  });

  it('opens a scope with a fresh UUIDv7 correlation id and an empty chain', () => {
    const ctx = new AsyncCausalContext();
    const scope = ctx.run(() => ctx.current());
    expect(scope?.lastEventId).toBeNull();
    expect(isUuid(scope!.correlationId)).toBe(true);
    expect(scope!.correlationId[14]).toBe('7');
    expect(ctx.run(() => ctx.current()!.correlationId)).not.toBe(scope!.correlationId);
  });

  it('reuses the enclosing scope for a re-entrant run without options', () => {
    const ctx = new AsyncCausalContext();
    ctx.run(() => {
      const outer = ctx.current();
      outer!.lastEventId = 'e1';
      ctx.run(() => {
        expect(ctx.current()).toBe(outer);
        ctx.current()!.lastEventId = 'e2';
      });
      expect(outer!.lastEventId).toBe('e2');
    });
  });

  it('follows the chain across awaits, timers and promise callbacks', async () => {
    const ctx = new AsyncCausalContext();
    const seen = await ctx.run(
      async () => {
        await new Promise((r) => setTimeout(r, 1));
        const a = ctx.current()?.correlationId;
        const b = await Promise.resolve().then(() => ctx.current()?.correlationId);
        const c = await new Promise<string | undefined>((r) => setImmediate(() => r(ctx.current()?.correlationId)));
        return [a, b, c];
      },
      { correlationId: 'corr-1' },
    );
    expect(seen).toEqual(['corr-1', 'corr-1', 'corr-1']);
    expect(ctx.current()).toBeUndefined();
  });

  it('keeps concurrent chains apart', async () => {
    const ctx = new AsyncCausalContext();
    const chain = (id: string) =>
      ctx.run(
        async () => {
          await new Promise((r) => setTimeout(r, 2));
          return ctx.current()?.correlationId;
        },
        { correlationId: id },
      );
    expect(await Promise.all([chain('a'), chain('b'), chain('c')])).toEqual(['a', 'b', 'c']);
  });

  it('starts a new chain with correlationId; seeds it with causationId; leaves the outer scope alone', () => {
    const ctx = new AsyncCausalContext();
    ctx.run(
      () => {
        const outer = ctx.current()!;
        ctx.run(
          () => {
            expect(ctx.current()).toMatchObject({ correlationId: 'other', lastEventId: null });
          },
          { correlationId: 'other' },
        );
        ctx.run(
          () => {
            const inner = ctx.current()!;
            expect(inner).not.toBe(outer);
            expect(inner).toMatchObject({ correlationId: 'outer', lastEventId: 'fill-cause' });
            inner.lastEventId = 'later';
          },
          { causationId: 'fill-cause' },
        );
        expect(outer.lastEventId).toBe('seed');
      },
      { correlationId: 'outer', causationId: 'seed' },
    );
  });

  it('resolves from a fresh container with no registrations it depends on', () => {
    const c = rootContainer.createChildContainer();
    c.register(TOKENS.CausalContext, { useClass: AsyncCausalContext });
    const ctx = c.resolve<CausalContext>(TOKENS.CausalContext);
    expect(ctx.run(() => typeof ctx.current()?.correlationId)).toBe('string');
  });
});
