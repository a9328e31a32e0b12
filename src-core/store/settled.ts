/**
 * Runs a synchronous read now and hands its result back as a promise, the way an `async`
 * method with no `await` would: the read happens at the call, and a throw (a closed
 * connection, a malformed row) becomes a rejection rather than escaping synchronously.
 */
export function settled<T>(read: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(read()));
}
