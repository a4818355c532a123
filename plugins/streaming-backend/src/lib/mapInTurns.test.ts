import { countEventLoopTurns } from '../__testUtils__/eventLoopTurns';
import { mapInTurns } from './mapInTurns';

describe('mapInTurns', () => {
  it('maps every item in order, perTurn at a time, with a turn of the event loop between', async () => {
    const loop = countEventLoopTurns();
    const turns: number[] = [];
    let running = 0;
    let mostRunning = 0;
    const result = await mapInTurns([1, 2, 3, 4, 5, 6, 7], 3, async n => {
      turns.push(loop.turn);
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      await Promise.resolve();
      running -= 1;
      return n * 10;
    });
    loop.stop();
    expect(result).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(mostRunning).toBe(3);
    // Three turns: items 1-3, 4-6 and 7, each in a later turn than the one before.
    expect(new Set(turns.slice(0, 3)).size).toBe(1);
    expect(new Set(turns.slice(3, 6)).size).toBe(1);
    expect(turns[3]).toBeGreaterThan(turns[2]);
    expect(turns[6]).toBeGreaterThan(turns[5]);
  });

  it('answers an empty list without waiting', async () => {
    await expect(mapInTurns([], 5, async () => 1)).resolves.toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses perTurn %p', async perTurn => {
    await expect(mapInTurns([1], perTurn, async n => n)).rejects.toThrow(
      `perTurn must be a whole number >= 1, not ${perTurn}`,
    );
  });
});
