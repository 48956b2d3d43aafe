/**
 * One submission at a time. A form can be sent twice by one gesture — Enter in a field
 * (the form's submit event) and a key handler, Enter and a click on the button, or a double
 * click while the first request is still pending. `singleFlight(fn)` returns a function that
 * runs `fn` only when no earlier call is still running; calls made meanwhile are dropped
 * (not queued). The flag is set synchronously on entry, before any await (form validation
 * included), so two events in a row can never both reach the server.
 */
export function singleFlight<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  let running = false;
  return async (...args: A): Promise<void> => {
    if (running) return;
    running = true;
    try {
      await fn(...args);
    } finally {
      running = false;
    }
  };
}
