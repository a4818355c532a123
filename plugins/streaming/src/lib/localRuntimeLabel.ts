/** "local, 2 threads": jobs in Spark's local mode, with their thread counts. */
export function localRuntimeLabel(threads: number[]): string {
  const one = threads.length === 1 && threads[0] === 1;
  return `local, ${threads.join(' or ')} ${one ? 'thread' : 'threads'}`;
}
