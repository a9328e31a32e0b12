import type { ValidationIssue } from '../../errors';
import { isValidationError } from '../../errors';
import type { StoredEvent } from '../../events/types';
import type { SchemaRegistry } from '../../schema/schema-registry';

export interface SchemaViolation {
  event_id: string;
  event_type: string;
  aggregate: string;
  issues: ValidationIssue[];
}

export interface SchemaReport {
  checked: number;
  /** Event types no loaded plugin has a schema for: listed, not failed (a plugin may be missing). */
  unknownTypes: Record<string, number>;
  /** Invalid events per type (all counted; `examples` keeps the first few). */
  invalidByType: Record<string, { count: number; examples: SchemaViolation[] }>;
}

const EXAMPLES_PER_TYPE = 5;

/** Checks stored events against their plugin's schema, as the emitter would have at write time (after upcasting). */
export class SchemaChecker {
  private readonly report: SchemaReport = { checked: 0, unknownTypes: {}, invalidByType: {} };

  constructor(private readonly schemas: Pick<SchemaRegistry, 'has' | 'upcast' | 'validate'>) {}

  add(event: StoredEvent): void {
    if (!this.schemas.has(event.event_type)) {
      this.report.unknownTypes[event.event_type] = (this.report.unknownTypes[event.event_type] ?? 0) + 1;
      return;
    }
    this.report.checked++;
    const issues = this.issues(event);
    if (issues.length === 0) return;
    const entry = (this.report.invalidByType[event.event_type] ??= { count: 0, examples: [] });
    entry.count++;
    if (entry.examples.length < EXAMPLES_PER_TYPE) {
      entry.examples.push({
        event_id: event.event_id,
        event_type: event.event_type,
        aggregate: `${event.aggregate_type}:${event.aggregate_id}#${event.sequence_number}`,
        issues,
      });
    }
  }

  private issues(event: StoredEvent): ValidationIssue[] {
    let current: StoredEvent;
    try {
      current = this.schemas.upcast(event);
    } catch (error) {
      return [{ path: 'payload', message: `upcasting failed: ${(error as Error)?.message ?? String(error)}` }];
    }
    try {
      this.schemas.validate({
        event_id: current.event_id,
        event_type: current.event_type,
        aggregate_type: current.aggregate_type,
        aggregate_id: current.aggregate_id,
        payload: current.payload,
        metadata: current.metadata,
        created_at: current.created_at,
      });
      return [];
    } catch (error) {
      if (isValidationError(error)) return error.issues;
      return [{ path: '', message: (error as Error)?.message ?? String(error) }];
    }
  }

  result(): SchemaReport {
    return this.report;
  }

  get invalidCount(): number {
    return Object.values(this.report.invalidByType).reduce((n, e) => n + e.count, 0);
  }
}
