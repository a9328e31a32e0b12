import type Database from 'better-sqlite3';
import type { SchemaFeatures } from '../schema/features';

/** Subscription checkpoints: the last position a named consumer handled. */
export class Checkpoints {
  constructor(
    private readonly db: Database.Database,
    private readonly features: SchemaFeatures,
  ) {}

  get(name: string): number | null {
    if (!this.features.hasCheckpoints) return null;
    const value = this.db.prepare('SELECT position FROM subscription_checkpoints WHERE name = ?').pluck().get(name);
    return value === undefined ? null : (value as number);
  }

  save(name: string, position: number, now: number): void {
    this.db
      .prepare(
        `INSERT INTO subscription_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
      )
      .run(name, position, now);
  }
}
