// Which methods each route of the admin API takes, so that a known path asked with another method
// is answered 405 with an Allow header (RFC 9110 §15.5.6) rather than 404: a client, or an API
// tester sending an undeclared method, learns that the path exists and what it takes.
// The table is filled as routes are registered (Fastify's onRoute hook), never per request.

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class RouteMethods {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];

  /** Records a route by its Fastify URL (`/v1/services/:id`); a parameter matches one path segment. */
  add(url: string, method: string | string[]): void {
    const source = `^${url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : escapeRegex(part))).join('/')}$`;
    let route = this.routes.find((r) => r.pattern.source === source);
    if (!route) {
      route = { pattern: new RegExp(source), methods: new Set() };
      this.routes.push(route);
    }
    for (const m of Array.isArray(method) ? method : [method]) route.methods.add(m.toUpperCase());
    // Fastify answers HEAD wherever it answers GET.
    if (route.methods.has('GET')) route.methods.add('HEAD');
  }

  /** The methods a path (without its query) is served with, sorted; empty when no route has it. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const r of this.routes) if (r.pattern.test(path)) for (const m of r.methods) methods.add(m);
    return [...methods].sort();
  }
}
