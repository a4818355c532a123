import {
  OverviewSortKey,
  PipelineHealth,
  PipelineOverviewRow,
  StreamingOverviewQuery,
  StreamingOverviewResponse,
} from '@internal/plugin-streaming-common';

/** Distinct pages kept per overview (the same page is one shared answer). */
const MAX_KEPT_PAGES = 64;

/** Most urgent first, as the page shows them. */
const HEALTH_ORDER: PipelineHealth[] = [
  'critical',
  'warning',
  'stale',
  'unknown',
  'ok',
];

type Compare = (a: PipelineOverviewRow, b: PipelineOverviewRow) => number;

const byText =
  (value: (row: PipelineOverviewRow) => string | undefined): Compare =>
  (a, b) =>
    (value(a) ?? '').localeCompare(value(b) ?? '');

/** Unknown figures (null) sort lowest, as they do in the page's table. */
const byNumber =
  (value: (row: PipelineOverviewRow) => number | null): Compare =>
  (a, b) =>
    (value(a) ?? -Infinity) - (value(b) ?? -Infinity);

const compares: Record<Exclude<OverviewSortKey, 'name'>, Compare> = {
  title: byText(r => r.title),
  owner: byText(r => r.owner),
  health: (a, b) =>
    HEALTH_ORDER.indexOf(a.health) - HEALTH_ORDER.indexOf(b.health),
  throughput: byNumber(r => r.inputRowsPerSecond),
  latency: byNumber(r => r.processingDelayMs),
  lag: byNumber(r => r.lagMessages),
  executors: byNumber(r => r.executors),
  cost: byNumber(r => r.monthlyCost),
};

interface Derived {
  /** Row indexes per sort key, ascending (ties keep the name order). */
  orders: Map<OverviewSortKey, number[]>;
  /** Lower-cased text of each row that `q` searches. */
  haystacks?: string[];
  pages: Map<string, StreamingOverviewResponse>;
}

const derived = new WeakMap<StreamingOverviewResponse, Derived>();

function derivedOf(overview: StreamingOverviewResponse): Derived {
  let d = derived.get(overview);
  if (!d) {
    d = { orders: new Map(), pages: new Map() };
    derived.set(overview, d);
  }
  return d;
}

function ascending(
  overview: StreamingOverviewResponse,
  d: Derived,
  sort: OverviewSortKey,
): number[] {
  let order = d.orders.get(sort);
  if (!order) {
    const rows = overview.pipelines;
    order = rows.map((_, i) => i);
    if (sort !== 'name') {
      const compare = compares[sort];
      // Array.prototype.sort is stable: ties keep the name order.
      order.sort((a, b) => compare(rows[a], rows[b]));
    }
    d.orders.set(sort, order);
  }
  return order;
}

function haystacksOf(
  overview: StreamingOverviewResponse,
  d: Derived,
): string[] {
  d.haystacks ??= overview.pipelines.map(r =>
    [
      r.title,
      r.entityRef,
      r.health,
      `${r.source} → ${r.sink}`,
      r.owner ?? '',
      r.system ?? '',
    ]
      .join('\n')
      .toLocaleLowerCase('en-US'),
  );
  return d.haystacks;
}

/**
 * One page of an overview that covers every pipeline a caller may read:
 * filtered, sorted and sliced, with the overview's totals (computed once,
 * over all of them). Sort orders are computed once per overview and key; the
 * same query of the same overview answers the same object, so that it is
 * serialized once.
 *
 * `overview.pipelines` must be in name order, as the service builds it.
 */
export function pageOverview(
  overview: StreamingOverviewResponse,
  query: StreamingOverviewQuery & { offset: number; limit: number },
): StreamingOverviewResponse {
  const d = derivedOf(overview);
  const key = JSON.stringify([
    query.offset,
    query.limit,
    query.sort ?? 'name',
    query.order ?? 'asc',
    query.health ?? null,
    query.owner ?? null,
    query.system ?? null,
    query.q ?? null,
  ]);
  const kept = d.pages.get(key);
  if (kept) return kept;

  const rows = overview.pipelines;
  const health = query.health ? new Set(query.health) : undefined;
  const text = query.q?.toLocaleLowerCase('en-US');
  const haystacks = text ? haystacksOf(overview, d) : undefined;
  const matches = (i: number) => {
    const row = rows[i];
    return (
      (!health || health.has(row.health)) &&
      (query.owner === undefined || row.owner === query.owner) &&
      (query.system === undefined || row.system === query.system) &&
      (!haystacks || haystacks[i].includes(text!))
    );
  };
  const order = ascending(overview, d, query.sort ?? 'name');
  const filtered =
    health || query.owner !== undefined || query.system !== undefined || text
      ? order.filter(matches)
      : order;
  const desc = query.order === 'desc';
  const selected: PipelineOverviewRow[] = [];
  for (
    let k = query.offset;
    k < filtered.length && selected.length < query.limit;
    k++
  ) {
    selected.push(rows[filtered[desc ? filtered.length - 1 - k : k]]);
  }
  const page: StreamingOverviewResponse = {
    ...overview,
    pipelines: selected,
    page: {
      offset: query.offset,
      limit: query.limit,
      total: filtered.length,
    },
  };
  if (d.pages.size >= MAX_KEPT_PAGES) {
    d.pages.delete(d.pages.keys().next().value!);
  }
  d.pages.set(key, page);
  return page;
}
