/**
 * Counts the turns of the event loop: an immediate that queues itself while
 * the counter runs. `turn` is the current count (work done in one stretch,
 * without letting the event loop turn, sees one value); `stop` ends it.
 */
export function countEventLoopTurns(): { readonly turn: number; stop(): void } {
  let turn = 0;
  let ticking = true;
  const tick = () => {
    turn += 1;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turn() {
      return turn;
    },
    stop() {
      ticking = false;
    },
  };
}
