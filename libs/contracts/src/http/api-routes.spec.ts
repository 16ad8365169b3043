import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowHeader, API_ROUTES, pathPattern, routeOf } from './api-routes';

describe('the public route table', () => {
  it('finds the route of a concrete path, one segment per parameter', () => {
    expect(routeOf('/api/v1/orders/order-012')?.path).toBe('/api/v1/orders/{orderId}');
    expect(routeOf('/api/v1/orders/order-012/status')?.path).toBe('/api/v1/orders/{orderId}/status');
    expect(routeOf('/api/v1/admin/aggregates/orders/x')?.path).toBe('/api/v1/admin/aggregates/{kind}/{id}');
    expect(routeOf('/api/v1/orders')?.path).toBe('/api/v1/orders');
    expect(routeOf('/api/v1/orders/a/b')).toBeNull();
    expect(routeOf('/api/v1/orders/')).toBeNull();
    expect(routeOf('/api/v1/nothing')).toBeNull();
  });

  it('allows HEAD wherever GET is, and OPTIONS everywhere, in a stable order', () => {
    expect(allowHeader({ path: '/x', methods: ['DELETE', 'GET'] })).toBe('GET, HEAD, DELETE, OPTIONS');
    expect(allowHeader({ path: '/x', methods: ['PUT'] })).toBe('PUT, OPTIONS');
  });

  it('has one entry per path', () => {
    const paths = API_ROUTES.map((route) => route.path);
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe("the gateway's Allow map", () => {
  const template = readFileSync(join(__dirname, '../../../../nginx/gateway.conf.template'), 'utf8');

  it('lists exactly the routes of the table, with the same methods', () => {
    const block = /map \$uri \$api_allow \{([^}]*)\}/.exec(template)?.[1] ?? '';
    const entries = [...block.matchAll(/"~([^"]+)"\s+"([^"]+)";/g)].map(([, pattern, allow]) => ({ pattern, allow }));
    expect(entries).toEqual(
      API_ROUTES.map((route) => ({ pattern: pathPattern(route.path), allow: allowHeader(route) })),
    );
  });
});
