// What happens to a seeded order after registration: a realistic spread of
// lifecycles, each a list of API calls, with the units each call ships.
import type { Line, Random } from './catalogue';

export type Lifecycle = 'registered' | 'cancelled' | 'partlyShipped' | 'shipped' | 'partlyDelivered' | 'delivered';

export interface Step {
  method: 'POST' | 'PUT' | 'DELETE';
  /** Below /api/v1/orders/{orderId}. */
  path: string;
  body?: unknown;
  /** Units this call ships, per product. */
  shipped?: Map<string, number>;
}

const SHARES: [Lifecycle, number][] = [
  ['registered', 0.15],
  ['cancelled', 0.1],
  ['partlyShipped', 0.1],
  ['shipped', 0.2],
  ['partlyDelivered', 0.1],
  ['delivered', 0.35],
];

export function planLifecycle(random: Random): Lifecycle {
  let roll = random();
  for (const [lifecycle, share] of SHARES) {
    if (roll < share) return lifecycle;
    roll -= share;
  }
  return 'delivered';
}

const all = (lines: readonly Line[]) => new Map(lines.map((line) => [line.productId, line.quantity]));

/** Part of an order: half of the first line, or the first line of several. */
function part(lines: readonly Line[]): { productId: string; quantity: number }[] | null {
  const [first] = lines;
  if (first.quantity > 1) return [{ productId: first.productId, quantity: Math.floor(first.quantity / 2) }];
  return lines.length > 1 ? [{ productId: first.productId, quantity: 1 }] : null;
}

function shipAll(lines: readonly Line[], random: Random): Step[] {
  const partial = part(lines);
  if (partial && random() < 0.3) {
    // Two shipments: part now, the rest later.
    return [
      {
        method: 'POST',
        path: '/shipments',
        body: { items: partial },
        shipped: new Map(partial.map((i) => [i.productId, i.quantity])),
      },
      {
        method: 'POST',
        path: '/shipments',
        body: {},
        shipped: new Map(
          lines.map((line) => [
            line.productId,
            line.quantity - (partial.find((i) => i.productId === line.productId)?.quantity ?? 0),
          ]),
        ),
      },
    ];
  }
  return random() < 0.5
    ? [{ method: 'PUT', path: '/status', body: { status: 'SHIPPED' }, shipped: all(lines) }]
    : [{ method: 'POST', path: '/shipments', body: {}, shipped: all(lines) }];
}

export const LIFECYCLES: Record<Lifecycle, (lines: readonly Line[], random: Random) => Step[]> = {
  registered: () => [],
  cancelled: (_lines, random) =>
    random() < 0.5
      ? [{ method: 'DELETE', path: '' }]
      : [{ method: 'POST', path: '/cancel', body: { reason: 'customer changed their mind' } }],
  partlyShipped: (lines, random) => {
    const partial = part(lines);
    return partial
      ? [
          {
            method: 'POST',
            path: '/shipments',
            body: { items: partial },
            shipped: new Map(partial.map((i) => [i.productId, i.quantity])),
          },
        ]
      : shipAll(lines, random);
  },
  shipped: shipAll,
  partlyDelivered: (lines, random) => {
    const partial = part(lines);
    return partial
      ? [...shipAll(lines, random), { method: 'POST', path: '/deliveries', body: { items: partial } }]
      : [...shipAll(lines, random), { method: 'POST', path: '/deliveries', body: {} }];
  },
  delivered: (lines, random) => [
    ...shipAll(lines, random),
    random() < 0.5
      ? { method: 'PUT', path: '/status', body: { status: 'DELIVERED' } }
      : { method: 'POST', path: '/deliveries', body: {} },
  ],
};
