import { countEventLoopTurns } from '../__testUtils__/eventLoopTurns';
import { mapInTurns } from './mapInTurns';

describe('mapInTurns', () => {
  it('maps every item in order, perTurn at a time, with a turn of the event loop between', async () => {
    const loop = countEventLoopTurns();
    const groups: Array<{ items: number[]; turn: number }> = [];
    const result = await mapInTurns([1, 2, 3, 4, 5, 6, 7], 3, async group => {
      groups.push({ items: group, turn: loop.turn });
      await Promise.resolve();
      return group.map(n => n * 10);
    });
    loop.stop();
    expect(result).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(groups.map(g => g.items)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    // Each group in a later turn than the one before.
    expect(groups[1].turn).toBeGreaterThan(groups[0].turn);
    expect(groups[2].turn).toBeGreaterThan(groups[1].turn);
  });

  it('answers an empty list without calling fn', async () => {
    const fn = jest.fn(async (group: number[]) => group);
    await expect(mapInTurns([], 5, fn)).resolves.toEqual([]);
    expect(fn).not.toHaveBeenCalled();
  });

  it('refuses a group answered with another number of results', async () => {
    await expect(
      mapInTurns([1, 2, 3], 2, async group => group.slice(1)),
    ).rejects.toThrow('mapInTurns: 1 results for a group of 2');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses perTurn %p', async perTurn => {
    await expect(
      mapInTurns([1], perTurn, async group => group),
    ).rejects.toThrow(`perTurn must be a whole number >= 1, not ${perTurn}`);
  });
});
