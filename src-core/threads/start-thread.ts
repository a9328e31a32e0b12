import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/** A started worker thread, the port its answers come on, and the counter it bumps with each. */
export interface ThreadLink {
  worker: Worker;
  replies: MessagePort;
  wake: Int32Array;
}

/**
 * Starts the thread at `url` with `data` plus `replies` (a port it posts answers on) and
 * `signal` (a counter it increments and notifies after each), so a thread that must wait for
 * an answer can block on the counter (Atomics.wait) and read the port synchronously. The
 * worker is unref'd (it never keeps a process alive); the port is the caller's to unref, after
 * attaching any 'message' listener (attaching one refs it again).
 */
export function startThread(url: URL, data: object): ThreadLink {
  const channel = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const worker = new Worker(url, { workerData: { ...data, replies: channel.port2, signal }, transferList: [channel.port2] });
  worker.unref();
  return { worker, replies: channel.port1, wake: new Int32Array(signal) };
}

/**
 * The thread's side of startThread: posts an answer on `replies`, then increments and notifies
 * `signal`, so a thread blocked on it (Atomics.wait) wakes to read the port.
 */
export function answerer<T>(replies: MessagePort, signal: SharedArrayBuffer): (message: T) => void {
  const wake = new Int32Array(signal);
  return (message) => {
    replies.postMessage(message);
    Atomics.add(wake, 0, 1);
    Atomics.notify(wake, 0);
  };
}
