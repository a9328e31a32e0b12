import type { CatalystApi } from '../shared/api';

declare global {
  interface Window {
    /** Installed by the preload (Electron) or the HTTP bridge (served mode). */
    readonly catalyst?: CatalystApi;
  }
}

/** The bridge's API. The renderer talks to nothing else. */
export function getApi(): CatalystApi {
  const api = window.catalyst;
  if (!api) throw new Error('The viewer bridge is missing: open the app through Electron or `catalyst-events serve`.');
  return api;
}

/** A bridge error's message without the code prefix, for people. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Z_0-9]+: /, '');
}
