/**
 * The public HTTP surface: every API path and the methods it takes, whichever
 * app serves them (the gateway sends safe methods to the query app and the
 * rest to the command app). It answers what a client asks when a method is
 * wrong: 405 with an `Allow` header naming every method the path takes, from
 * either app and from the gateway alike. An end-to-end test keeps it equal to
 * the two OpenAPI documents.
 */
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  /** OpenAPI-style template: `{name}` stands for one path segment. */
  readonly path: string;
  readonly methods: readonly ApiMethod[];
}

export const API_ROUTES: readonly ApiRoute[] = [
  { path: '/api/v1/orders', methods: ['GET', 'POST'] },
  { path: '/api/v1/orders/{orderId}', methods: ['GET', 'DELETE'] },
  { path: '/api/v1/orders/{orderId}/status', methods: ['PUT'] },
  { path: '/api/v1/orders/{orderId}/shipments', methods: ['POST'] },
  { path: '/api/v1/orders/{orderId}/deliveries', methods: ['POST'] },
  { path: '/api/v1/orders/{orderId}/cancel', methods: ['POST'] },
  { path: '/api/v1/inventory', methods: ['GET'] },
  { path: '/api/v1/inventory/{productId}', methods: ['GET', 'PUT'] },
  { path: '/api/v1/inventory/{productId}/adjustments', methods: ['POST'] },
  { path: '/api/v1/inventory/{productId}/discontinue', methods: ['POST'] },
  { path: '/api/v1/inventory/{productId}/allocate', methods: ['POST'] },
  { path: '/api/v1/inventory/{productId}/return', methods: ['POST'] },
  { path: '/api/v1/fulfillment/queue', methods: ['GET'] },
  { path: '/api/v1/customers/{customerId}/orders', methods: ['GET'] },
  { path: '/api/v1/admin/events/{aggregateId}', methods: ['GET'] },
  { path: '/api/v1/admin/aggregates/{kind}/{id}', methods: ['GET'] },
  { path: '/api/v1/admin/projections', methods: ['GET'] },
  { path: '/api/v1/admin/projections/rebuild', methods: ['POST'] },
  { path: '/api/v1/admin/dead-letters', methods: ['GET'] },
  { path: '/api/v1/admin/dead-letters/{id}', methods: ['GET', 'DELETE'] },
  { path: '/api/v1/admin/dead-letters/{id}/retry', methods: ['POST'] },
];

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The regular expression (source) that matches a concrete path of a template. */
export function pathPattern(template: string): string {
  const parts = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return `^${parts.join('[^/]+')}$`;
}

/** Every method a route takes: its own, HEAD wherever GET is, and OPTIONS, in a stable order. */
export function allowedMethods(route: ApiRoute): string[] {
  const methods = new Set<string>([...route.methods, 'OPTIONS']);
  if (methods.has('GET')) methods.add('HEAD');
  return METHOD_ORDER.filter((method) => methods.has(method));
}

/** The `Allow` header of a route. */
export function allowHeader(route: ApiRoute): string {
  return allowedMethods(route).join(', ');
}

const compiled = API_ROUTES.map((route) => ({ route, pattern: new RegExp(pathPattern(route.path)) }));

/** The route whose template matches a concrete path (without its query), or null. */
export function routeOf(path: string): ApiRoute | null {
  return compiled.find(({ pattern }) => pattern.test(path))?.route ?? null;
}
