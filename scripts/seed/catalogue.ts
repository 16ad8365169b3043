// Deterministic, realistic-looking data for the seed: products, customers with
// addresses, and order lines. The same seed gives the same data.

export type Random = () => number;

/** mulberry32: small, fast, good enough for test data, and reproducible. */
export function makeRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const ADJECTIVES = [
  'Ergonomic',
  'Rustic',
  'Compact',
  'Deluxe',
  'Sleek',
  'Sturdy',
  'Handmade',
  'Wireless',
  'Organic',
  'Classic',
];
const MATERIALS = ['Steel', 'Oak', 'Cotton', 'Granite', 'Bamboo', 'Leather', 'Ceramic', 'Aluminium', 'Wool', 'Glass'];
const THINGS = [
  'Chair',
  'Lamp',
  'Backpack',
  'Kettle',
  'Desk',
  'Headphones',
  'Mug',
  'Blanket',
  'Bottle',
  'Keyboard',
  'Shelf',
  'Watch',
];
const FIRST = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Emma',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Mona',
  'Noah',
];
const STREETS = ['Main St', 'Oak Ave', 'Harbour Rd', 'Station Way', 'Mill Lane', 'Park Blvd', 'Church St', 'High St'];
const CITIES: { city: string; state: string; zipcode: string; country: string }[] = [
  { city: 'Springfield', state: 'IL', zipcode: '62701', country: 'US' },
  { city: 'Portland', state: 'OR', zipcode: '97201', country: 'US' },
  { city: 'Austin', state: 'TX', zipcode: '73301', country: 'US' },
  { city: 'Berlin', state: 'BE', zipcode: '10115', country: 'DE' },
  { city: 'Lyon', state: 'ARA', zipcode: '69001', country: 'FR' },
  { city: 'Leeds', state: 'ENG', zipcode: 'LS1 4AP', country: 'GB' },
];

export interface Product {
  productId: string;
  name: string;
  /** Decimal string, as clients send money. */
  price: string;
}

export function catalogue(random: Random, count: number, runId: string): Product[] {
  return Array.from({ length: count }, (_, i) => ({
    productId: `${runId}-sku-${String(i + 1).padStart(4, '0')}`,
    name: `${pick(random, ADJECTIVES)} ${pick(random, MATERIALS)} ${pick(random, THINGS)}`,
    price: (Math.round((4 + random() * 196) * 100) / 100).toFixed(2),
  }));
}

export interface Customer {
  customerId: string;
  address: { street: string; city: string; state: string; zipcode: string; country: string };
}

export function customerPool(random: Random, count: number, runId: string): Customer[] {
  return Array.from({ length: count }, (_, i) => {
    const place = pick(random, CITIES);
    return {
      customerId: `${runId}-${pick(random, FIRST).toLowerCase()}-${String(i + 1).padStart(6, '0')}`,
      address: { street: `${1 + Math.floor(random() * 200)} ${pick(random, STREETS)}`, ...place },
    };
  });
}

export interface Line {
  productId: string;
  quantity: number;
  price: string;
}

/** 1-4 distinct products; mostly one or two units each. */
export function orderLines(random: Random, products: readonly Product[]): Line[] {
  const count = 1 + Math.floor(random() ** 2 * Math.min(4, products.length));
  const chosen = new Set<Product>();
  while (chosen.size < count) chosen.add(pick(random, products));
  return [...chosen].map((product) => ({
    productId: product.productId,
    quantity: 1 + Math.floor(random() ** 3 * 5),
    price: product.price,
  }));
}
