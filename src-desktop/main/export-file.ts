import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EventQuery, ExportFormat } from '../shared/api';

export interface ExportSource {
  exportChunks(filter: EventQuery, format: ExportFormat, progress?: { count: number }): AsyncIterable<string>;
}

/** Streams the filter's events into `path` (the file the user chose in the save dialog). */
export async function exportToFile(source: ExportSource, filter: EventQuery, format: ExportFormat, path: string): Promise<number> {
  const progress = { count: 0 };
  const out = createWriteStream(path, { encoding: 'utf8' });
  try {
    for await (const chunk of source.exportChunks(filter, format, progress)) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return progress.count;
}
