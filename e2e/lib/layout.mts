// Layout checks of a rendered page: words broken inside, cells cut off.
import type { Locator } from 'playwright-core';

/** The widths the layout must hold at (issue 13: 1280 px and 1920 px). */
export const LAYOUT_WIDTHS = [1280, 1920] as const;

/**
 * Text under `scope` that the browser broke inside a word or cut off. A word
 * is a run of characters between spaces and separators (`/ . → - _ : ,`);
 * it is broken when its characters lie on two line boxes
 * (Range.getClientRects). A table cell is cut off when its content is wider
 * than the cell (scrollWidth > clientWidth) or lies beyond the edge of the
 * box that clips or scrolls its table. Returns one line per problem.
 */
export async function layoutProblems(scope: Locator): Promise<string[]> {
  return scope.evaluateAll(roots => {
    const problems: string[] = [];
    const lineTops = (range: Range) =>
      new Set(
        [...range.getClientRects()]
          .filter(r => r.width > 0 && r.height > 0)
          .map(r => Math.round(r.top + r.height / 2)),
      );
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const parent = node.parentElement;
        if (!parent || parent.closest('svg, [aria-hidden="true"]')) continue;
        const word = /[^\s/.\u2192\-_:,]+/g;
        for (let m = word.exec(text); m; m = word.exec(text)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          if (lineTops(range).size > 1) {
            problems.push(`"${m[0]}" broken inside "${text.trim()}"`);
          }
        }
      }
      for (const cell of root.querySelectorAll<HTMLElement>('td, th')) {
        const text = cell.innerText.trim().replace(/\s+/g, ' ');
        if (cell.scrollWidth > cell.clientWidth + 1) {
          problems.push(
            `cell "${text}" cut off (${cell.scrollWidth} px in ${cell.clientWidth} px)`,
          );
        }
        // A cell beyond the edge of the box that clips its table is cut off too.
        let box = cell.closest('table')?.parentElement ?? null;
        while (box && getComputedStyle(box).overflowX === 'visible') {
          box = box.parentElement;
        }
        const edge = box?.getBoundingClientRect().right ?? Infinity;
        if (text && cell.getBoundingClientRect().right > edge + 1) {
          problems.push(`cell "${text}" beyond the edge of its table`);
        }
      }
    }
    return problems;
  });
}
