// The Lineage card: the catalog graph of a pipeline, topic or table over the
// dependsOn/dependencyOf relations, upstream on the left, downstream on the right.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** The node of the lineage graph with this title. */
function node(page: Page, title: string): Locator {
  return page
    .locator('svg g')
    .filter({ has: page.locator('text').getByText(title, { exact: true }) })
    .last();
}

/**
 * Checks that `title` is drawn on the `side` of `from` in the lineage graph,
 * then opens its page by clicking its node.
 */
export async function followLineage(
  page: Page,
  from: string,
  side: 'Upstream' | 'Downstream',
  title: string,
): Promise<void> {
  const target = node(page, title);
  await target.waitFor();
  const [fromBox, targetBox] = await Promise.all([
    node(page, from).boundingBox(),
    target.boundingBox(),
  ]);
  assert.ok(fromBox && targetBox, `${from} and ${title} are drawn`);
  assert.equal(
    targetBox.x < fromBox.x ? 'Upstream' : 'Downstream',
    side,
    `${title} is ${side.toLowerCase()} of ${from}`,
  );
  await target.click();
}
