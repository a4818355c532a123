import { TableColumn } from '@backstage/core-components';
import { KEEP_WORDS } from '../components/Identifier';

/** Narrower cell padding than the theme's, so tables fit 1280 px screens. */
const READABLE_CELL = { ...KEEP_WORDS, paddingLeft: 8, paddingRight: 8 };

/**
 * Columns of a Backstage table that wrap only between words (the theme lets
 * cells break inside one) with compact horizontal padding. Fresh style
 * objects per column: the table writes into them.
 */
export function readableColumns<T extends object>(
  columns: TableColumn<T>[],
): TableColumn<T>[] {
  return columns.map(c => ({
    ...c,
    cellStyle: {
      ...READABLE_CELL,
      ...(typeof c.cellStyle === 'object' ? c.cellStyle : {}),
    },
    headerStyle: { ...READABLE_CELL, ...c.headerStyle },
  }));
}
