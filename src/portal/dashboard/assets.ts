// The dashboard's static files at /assets/, all read into memory once when the portal starts (no
// disk read per request) and served with an ETag (RFC 9110 §8.8.3) so a browser revalidates with a
// 304 instead of downloading again:
//
//   /assets/vazirmatn.woff2   the Vazirmatn variable font (npm `vazirmatn`, SIL OFL 1.1), from node_modules
//   /assets/echarts.min.js    Apache ECharts (npm `echarts`, Apache-2.0), from node_modules
//   /assets/dashboard.css     the dashboard's stylesheet (assets/dashboard.css beside this file)
//   /assets/dashboard.js      the dashboard's one client script (assets/dashboard.js)
//
// Nothing is loaded from another origin: the CSP is default-src 'self'. The vendor files change only
// with an upgrade of their package and are cached for a week; the dashboard's own are revalidated on
// every use (`no-cache`), so a new release is seen at once. scripts/build.mjs copies the two files
// under assets/ into dist/ beside the compiled module.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';
import { ASSET_PATHS } from './layout.ts';

export interface Asset { body: Buffer; contentType: string; etag: string; cacheControl: string }

const WEEK = 'public, max-age=604800';
const REVALIDATE = 'no-cache';

function asset(body: Buffer, contentType: string, cacheControl: string): Asset {
  return { body, contentType, cacheControl, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
}

/** Reads every asset; a missing package or file stops the portal from starting, with its path named. */
export async function loadDashboardAssets(): Promise<Map<string, Asset>> {
  const require = createRequire(import.meta.url);
  const font = require.resolve('vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2');
  const echarts = require.resolve('echarts/dist/echarts.min.js');
  const [fontBody, echartsBody, css, js] = await Promise.all([
    readFile(font), readFile(echarts),
    readFile(new URL('./assets/dashboard.css', import.meta.url)), readFile(new URL('./assets/dashboard.js', import.meta.url)),
  ]);
  return new Map([
    [ASSET_PATHS.font, asset(fontBody, 'font/woff2', WEEK)],
    [ASSET_PATHS.echarts, asset(echartsBody, 'text/javascript; charset=utf-8', WEEK)],
    [ASSET_PATHS.css, asset(css, 'text/css; charset=utf-8', REVALIDATE)],
    [ASSET_PATHS.js, asset(js, 'text/javascript; charset=utf-8', REVALIDATE)],
  ]);
}

/** If-None-Match (RFC 9110 §13.1.2): a weak comparison of the listed tags, or "*". */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export function assetRoutes(assets: Map<string, Asset>): FastifyPluginAsync {
  return async (app) => {
    for (const [path, a] of assets) {
      app.get(path, async (req, reply) => {
        reply.headers({ etag: a.etag, 'cache-control': a.cacheControl });
        if (notModified(req.headers['if-none-match'], a.etag)) return reply.status(304).send();
        return reply.type(a.contentType).send(a.body);
      });
    }
  };
}
