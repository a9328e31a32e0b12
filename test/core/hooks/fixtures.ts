import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { ErrorReporter } from '../../../src-core/errors/reporter';
import type { CausalContext, CausalScope } from '../../../src-core/causality/types';

/** Records what the registry reports, so tests can assert that handler failures were seen. */
export class RecordingReporter implements ErrorReporter {
  readonly reports: { error: unknown; context: { where: string; [key: string]: unknown } }[] = [];
  report(error: unknown, context: { where: string; [key: string]: unknown }): void {
    this.reports.push({ error, context });
  }
}

/** A minimal causal context with the contract's reuse-the-running-scope rule. */
export class TestCausalContext implements CausalContext {
  private readonly storage = new AsyncLocalStorage<CausalScope>();
  runs = 0;
  current(): CausalScope | undefined {
    return this.storage.getStore();
  }
  run<T>(fn: () => T, options?: { correlationId?: string; causationId?: string | null }): T {
    this.runs += 1;
    const existing = this.storage.getStore();
    if (existing && options?.correlationId === undefined) return fn();
    const scope: CausalScope = {
      correlationId: options?.correlationId ?? randomUUID(),
      lastEventId: options?.causationId ?? null,
    };
    return this.storage.run(scope, fn);
  }
}
