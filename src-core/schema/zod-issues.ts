import type { z } from 'zod';
import type { ValidationIssue } from '../errors';
import { joinPath } from './json-safety';

/** zod's issues as ValidationIssues whose paths start at `base` (e.g. `payload`). */
export function fromZodIssues(error: z.ZodError, base: string): ValidationIssue[] {
  return error.issues.map((issue) => {
    let path = base;
    for (const key of issue.path) path = joinPath(path, typeof key === 'symbol' ? String(key) : key);
    return { path, message: issue.message };
  });
}
