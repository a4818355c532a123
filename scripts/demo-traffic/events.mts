// Realistic events for the five example pipelines (examples/pipelines/*/pipeline.yaml).
// Each maker returns Kafka messages (key, value) for one topic; all randomness comes from
// the Random passed in, so a seeded run produces the same traffic again.

export type Message = { key: string; value: string | null };

export type Random = {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
};

/** A small seeded generator (mulberry32): fast, deterministic, good enough for demo data. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) =>
    min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: items => items[Math.floor(next() * items.length)],
    weighted: items => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1][0];
    },
  };
}

const COUNTRIES = [
  ['US', 30],
  ['DE', 12],
  ['GB', 10],
  ['FR', 8],
  ['IN', 10],
  ['BR', 7],
  ['JP', 6],
  ['CA', 5],
  ['NL', 4],
  ['SE', 3],
  ['ES', 5],
] as const;

const CURRENCY: Record<string, string> = {
  US: 'USD',
  DE: 'EUR',
  GB: 'GBP',
  FR: 'EUR',
  IN: 'INR',
  BR: 'BRL',
  JP: 'JPY',
  CA: 'CAD',
  NL: 'EUR',
  SE: 'SEK',
  ES: 'EUR',
};

const round2 = (n: number) => Math.round(n * 100) / 100;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const hex = (random: Random, length: number) =>
  Array.from({ length }, () => random.int(0, 15).toString(16)).join('');

/** Event time a little in the past, as real clients deliver late. */
const eventTime = (random: Random, now: number) =>
  now - Math.floor(random.next() ** 3 * 30_000);

/** Topic `events` (User Events): user_id, event_type (30% heartbeats), country, amount, timestamp (epoch ms, Avro timestamp-millis). */
export function userEvent(random: Random, now: number): Message {
  const userId = `u-${pad(random.int(1, 5000), 5)}`;
  const eventType = random.weighted([
    ['heartbeat', 30],
    ['view', 35],
    ['click', 25],
    ['purchase', 6],
    ['signup', 4],
  ] as const);
  const amount =
    eventType === 'purchase' ? round2(5 + random.next() ** 2 * 495) : null;
  return {
    key: userId,
    value: JSON.stringify({
      user_id: userId,
      event_type: eventType,
      country: random.weighted(COUNTRIES),
      amount,
      timestamp: eventTime(random, now),
    }),
  };
}

type OpenOrder = {
  id: string;
  customer: string;
  total: number;
  currency: string;
  createdAt: string;
  status: string;
};

/**
 * Topic `orders` (Order Stream): an order is created, then paid, then shipped (or
 * cancelled) in later events; about 1% of events are re-sent (the pipeline deduplicates)
 * and a few carry a zero total (the pipeline filters them out).
 */
export function createOrderMaker() {
  const open: OpenOrder[] = [];
  let sequence = 0;
  let last: Message | undefined;
  return (random: Random, now: number): Message => {
    if (last && random.next() < 0.01) return last;
    let order: OpenOrder;
    if (open.length < 50 || random.next() < 0.4) {
      sequence += 1;
      const country = random.weighted(COUNTRIES);
      order = {
        id: `o-${now.toString(36)}-${pad(sequence, 6)}`,
        customer: `c-${pad(random.int(1, 20000), 6)}`,
        total: random.next() < 0.02 ? 0 : round2(10 + random.next() ** 2 * 990),
        currency: CURRENCY[country],
        createdAt: new Date(eventTime(random, now)).toISOString(),
        status: 'created',
      };
      open.push(order);
    } else {
      const index = random.int(0, open.length - 1);
      order = open[index];
      order.status =
        order.status === 'created'
          ? random.weighted([
              ['paid', 9],
              ['cancelled', 1],
            ] as const)
          : 'shipped';
      if (order.status !== 'paid') open.splice(index, 1);
    }
    last = {
      key: order.id,
      value: JSON.stringify({
        order_id: order.id,
        customer_id: order.customer,
        status: order.status,
        total: order.total,
        currency: order.currency,
        created_at: order.createdAt,
      }),
    };
    return last;
  };
}

const PAGES = [
  '/',
  '/search',
  '/product/42',
  '/product/7',
  '/product/1337',
  '/cart',
  '/checkout',
  '/account',
  '/blog/streaming',
  '/pricing',
];
const REFERRERS = [
  'https://www.google.com/',
  'https://news.ycombinator.com/',
  'https://twitter.com/',
  'direct',
  'https://duckduckgo.com/',
  'https://crawler.example/bot',
];

/**
 * Topic `clicks` (Clickstream): sessions of several clicks each (a pool of open sessions,
 * renewed as they end); some referrers are bots, a few pages are null.
 */
export function createClickMaker() {
  const sessions: { id: string; user: string | null; referrer: string }[] = [];
  return (random: Random, now: number): Message => {
    let session;
    if (sessions.length < 200 || random.next() < 0.1) {
      session = {
        id: `s-${hex(random, 12)}`,
        user: random.next() < 0.3 ? null : `u-${pad(random.int(1, 5000), 5)}`,
        referrer: random.weighted(
          REFERRERS.map(
            (r, i) => [r, i === REFERRERS.length - 1 ? 1 : 4] as const,
          ),
        ),
      };
      sessions.push(session);
      if (sessions.length > 200) sessions.shift();
    } else {
      session = random.pick(sessions);
    }
    return {
      key: session.id,
      value: JSON.stringify({
        session_id: session.id,
        user_id: session.user,
        page: random.next() < 0.02 ? null : random.pick(PAGES),
        referrer: session.referrer,
        ts: new Date(eventTime(random, now)).toISOString(),
      }),
    };
  };
}

const SERVICES = [
  'checkout',
  'payments',
  'search',
  'catalog',
  'auth',
  'notifications',
];
const MESSAGES: Record<string, readonly string[]> = {
  DEBUG: ['cache lookup', 'request headers parsed'],
  INFO: [
    'request completed',
    'user signed in',
    'order accepted',
    'job finished',
  ],
  WARN: [
    'slow response from upstream',
    'retrying request',
    'connection pool nearly exhausted',
  ],
  ERROR: [
    'upstream returned 503',
    'payment declined by provider',
    'timeout after 3000 ms',
  ],
  FATAL: ['out of memory; restarting'],
};

/** Topic `app-logs` (Log Analytics): mostly INFO, a few WARN/ERROR, rare FATAL. */
export function logLine(random: Random, now: number): Message {
  const service = random.pick(SERVICES);
  const level = random.weighted([
    ['DEBUG', 10],
    ['INFO', 70],
    ['WARN', 12],
    ['ERROR', 7],
    ['FATAL', 1],
  ] as const);
  return {
    key: service,
    value: JSON.stringify({
      service,
      level,
      message: random.pick(MESSAGES[level]),
      trace_id: hex(random, 32),
      ts: new Date(eventTime(random, now)).toISOString(),
    }),
  };
}

type UserRow = {
  id: number;
  email: string;
  name: string;
  country: string;
  updated_at: string;
};

const FIRST = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Alan',
  'Barbara',
  'Ken',
  'Frances',
  'Dennis',
  'Radia',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Turing',
  'Liskov',
  'Thompson',
  'Allen',
  'Ritchie',
  'Perlman',
];

/**
 * Topic `dbserver1.public.users` (CDC Postgres): Debezium change events of a users table
 * (JSON converter without schemas): key {"id": N}; value {before, after, source, op, ts_ms};
 * creates, updates and deletes, each delete followed by a tombstone (null value), as
 * Debezium emits by default. updated_at is a timestamptz column (ISO-8601 string).
 */
export function createUserChangeMaker() {
  const rows = new Map<number, UserRow>();
  let nextId = 1;
  let lsn = 23_000_000;
  let pendingTombstone: number | undefined;
  return (random: Random, now: number): Message => {
    if (pendingTombstone !== undefined) {
      const key = JSON.stringify({ id: pendingTombstone });
      pendingTombstone = undefined;
      return { key, value: null };
    }
    const op =
      rows.size < 20
        ? 'c'
        : random.weighted([
            ['c', 3],
            ['u', 6],
            ['d', 1],
          ] as const);
    let before: UserRow | null = null;
    let after: UserRow | null = null;
    const updatedAt = new Date(now).toISOString();
    if (op === 'c') {
      const first = random.pick(FIRST);
      const last = random.pick(LAST);
      after = {
        id: nextId,
        email: `${first}.${last}.${nextId}@example.com`.toLowerCase(),
        name: `${first} ${last}`,
        country: random.weighted(COUNTRIES),
        updated_at: updatedAt,
      };
      rows.set(nextId, after);
      nextId += 1;
    } else {
      const ids = [...rows.keys()];
      const id = ids[random.int(0, ids.length - 1)];
      before = rows.get(id)!;
      if (op === 'u') {
        after =
          random.next() < 0.5
            ? {
                ...before,
                country: random.weighted(COUNTRIES),
                updated_at: updatedAt,
              }
            : {
                ...before,
                email: `${before.name
                  .replace(' ', '_')
                  .toLowerCase()}+${random.int(1, 99)}@example.com`,
                updated_at: updatedAt,
              };
        rows.set(id, after);
      } else {
        rows.delete(id);
        pendingTombstone = id;
      }
    }
    lsn += random.int(100, 5000);
    const id = (after ?? before)!.id;
    return {
      key: JSON.stringify({ id }),
      value: JSON.stringify({
        before,
        after,
        source: {
          version: '2.7.3.Final',
          connector: 'postgresql',
          name: 'dbserver1',
          ts_ms: now - random.int(5, 200),
          snapshot: 'false',
          db: 'accounts',
          schema: 'public',
          table: 'users',
          txId: Math.floor(lsn / 1000),
          lsn,
        },
        op,
        ts_ms: now,
      }),
    };
  };
}
