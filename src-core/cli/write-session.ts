import type { CatalystReader } from '../container/create-catalyst';
import type { CommandContext } from './context';
import { type LogSource, openWriter, type SourceOptions } from './log-source';
import { openPluginSession } from './plugin-session';
import { createProgress, type Progress } from './progress';

/** What a snapshot-writing command works with while the log is open for writing. */
export interface WriteSession {
  source: LogSource;
  session: CatalystReader;
  progress: Progress;
}

/**
 * Opens the log read-write with the plugins loaded and a progress bar, runs `work`, then
 * closes the session, the bar and the log whatever `work` did, so the bar never outlives an
 * error and the file is closed before the command prints.
 */
export async function withWriteSession<T>(options: SourceOptions, ctx: CommandContext, work: (w: WriteSession) => Promise<T>): Promise<T> {
  const source = openWriter(options, ctx);
  const progress = createProgress(ctx.io);
  try {
    const session = await openPluginSession(source);
    try {
      return await work({ source, session, progress });
    } finally {
      await session.close();
    }
  } finally {
    progress.stop();
    await source.close();
  }
}
