// One HTTP server hosting SIMULATED agencies. Each service lives at
//   /<memberCode>/<subsystemCode>/<serviceCode>
// which is the base URL the registry stores; the node appends the contract path (e.g.
// /persons/0012345679). Every answer carries `x-simulated-agency: true` so that no one mistakes it
// for a real government system.
//
// The server is used in benchmarks, so routes are compiled once and a request costs a map lookup,
// a few regex tests and JSON. It is returned unstarted: the caller decides where it listens.
import http from 'node:http';
import type { Agency, AgencyResponse, AgencyService, HttpMethod } from './agency.ts';

export interface AgencyServerOptions {
  /** Milliseconds to wait before answering a service call (SLA demonstrations). Default none. */
  latencyMs?: (service: AgencyService, agency: Agency) => number;
  /** Share of service calls answered 503, 0–1 (fault demonstrations), for all or per service. Default 0. */
  failureRate?: number | ((service: AgencyService, agency: Agency) => number);
  /** Source of randomness for failureRate, injectable for tests. Default Math.random. */
  random?: () => number;
  /** Larger request bodies are refused with 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

interface Mounted {
  readonly agency: Agency;
  readonly service: AgencyService;
  readonly routes: readonly Route[];
}

const METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/** The path a service is served under, e.g. `/NOCR/identity/person`. */
export function serviceBasePath(agency: Agency, service: AgencyService): string {
  return `/${agency.memberCode}/${agency.subsystemCode}/${service.serviceCode}`;
}

// `/persons/{nationalCode}` → /^\/persons\/([^/]+)$/ with names ['nationalCode'].
function compileTemplate(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names };
}

function mount(agencies: readonly Agency[]): Map<string, Mounted> {
  const byBase = new Map<string, Mounted>();
  for (const agency of agencies) {
    for (const service of agency.services) {
      const base = serviceBasePath(agency, service);
      if (byBase.has(base)) throw new Error(`Two simulated services share ${base}`);
      const routes: Route[] = [];
      for (const [template, item] of Object.entries(service.contract.paths)) {
        const { pattern, names } = compileTemplate(template);
        for (const method of METHODS) {
          if (item[method]) routes.push({ method: method.toUpperCase(), pattern, names });
        }
      }
      byBase.set(base, { agency, service, routes });
    }
  }
  return byBase;
}

function send(res: http.ServerResponse, status: number, body: unknown, extra?: http.OutgoingHttpHeaders): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-simulated-agency': 'true',
    ...extra,
  });
  res.end(json);
}

const errorBody = (error: string, message: string) => ({ error, message });

/** Builds (does not start) an HTTP server for the given simulated agencies. */
export function createAgencyServer(agencies: readonly Agency[], opts: AgencyServerOptions = {}): http.Server {
  const byBase = mount(agencies);
  const failureRate = opts.failureRate ?? 0;
  const failureRateOf = typeof failureRate === 'number' ? () => failureRate : failureRate;
  const random = opts.random ?? Math.random;
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;

  function answer(res: http.ServerResponse, mounted: Mounted, respond: () => AgencyResponse): void {
    const finish = (): void => {
      const rate = failureRateOf(mounted.service, mounted.agency);
      if (rate > 0 && random() < rate) {
        send(res, 503, errorBody('service_unavailable', 'The simulated agency is failing on purpose (injected fault)'));
        return;
      }
      let out: AgencyResponse;
      try {
        out = respond();
      } catch (e) {
        send(res, 500, errorBody('internal_error', `The simulated agency failed: ${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      send(res, out.status, out.body);
    };
    const delay = opts.latencyMs?.(mounted.service, mounted.agency) ?? 0;
    if (delay > 0) setTimeout(finish, delay);
    else finish();
  }

  return http.createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';

    if (pathname === '/health') {
      if (method === 'GET') send(res, 200, { status: 'ok', simulated: true });
      else send(res, 405, errorBody('method_not_allowed', 'Use GET /health'), { allow: 'GET' });
      return;
    }

    // The base is the first three segments: /<memberCode>/<subsystemCode>/<serviceCode>.
    const s1 = pathname.indexOf('/', 1);
    const s2 = s1 < 0 ? -1 : pathname.indexOf('/', s1 + 1);
    const s3 = s2 < 0 ? -1 : pathname.indexOf('/', s2 + 1);
    const mounted = s2 < 0 ? undefined : byBase.get(s3 < 0 ? pathname : pathname.slice(0, s3));
    if (!mounted) {
      send(res, 404, errorBody('unknown_service', `No simulated service at ${pathname}`));
      return;
    }
    const rest = s3 < 0 ? '' : pathname.slice(s3);

    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    const allowed: string[] = [];
    for (const r of mounted.routes) {
      const m = r.pattern.exec(rest);
      if (!m) continue;
      if (r.method === method) {
        route = r;
        match = m;
        break;
      }
      allowed.push(r.method);
    }
    if (!route || !match) {
      if (allowed.length > 0) send(res, 405, errorBody('method_not_allowed', `Use ${allowed.join(' or ')} for ${rest}`), { allow: allowed.join(', ') });
      else send(res, 404, errorBody('unknown_path', `The service has no path ${JSON.stringify(rest)}`));
      return;
    }

    const params: Record<string, string> = {};
    try {
      for (let i = 0; i < route.names.length; i++) params[route.names[i] as string] = decodeURIComponent(match[i + 1] as string);
    } catch {
      send(res, 400, errorBody('invalid_path', 'The path is not valid percent-encoding'));
      return;
    }
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const call = (body: unknown): AgencyResponse => mounted.service.handle({ method, path: rest, params, query, body });

    // Most calls are GETs without a body: answer them without waiting for the stream.
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
      answer(res, mounted, () => call(undefined));
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        send(res, 413, errorBody('body_too_large', `The body is larger than ${maxBodyBytes} bytes`));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          send(res, 400, errorBody('invalid_json', 'The body is not valid JSON'));
          return;
        }
      }
      answer(res, mounted, () => call(body));
    });
  });
}
