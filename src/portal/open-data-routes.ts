// The open data on the portal: the catalogue and the month files, answered from memory (open-data.ts)
// with a strong ETag (RFC 9110 §8.8.3) and conditional GET (§13.1.2). The files are public and carry
// no credentials, so any web page may read them (Fetch, CORS: Access-Control-Allow-Origin *).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { OPEN_DATA_ROOT } from './catalog.ts';
import type { OpenData, ServedFile } from './open-data.ts';

/** If-None-Match matches by the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
function notModified(req: FastifyRequest, f: ServedFile): boolean {
  const header = req.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === f.etag;
  });
}

function send(req: FastifyRequest, reply: FastifyReply, f: ServedFile | undefined) {
  if (!f) throw new TabadolError(Errors.PortalNotFound);
  void reply.headers({ etag: f.etag, 'cache-control': f.cacheControl, 'access-control-allow-origin': '*' });
  if (notModified(req, f)) return reply.code(304).send();
  return reply.type(f.contentType).send(f.body);
}

export function openDataRoutes(data: OpenData): FastifyPluginAsync {
  return async (app) => {
    app.get(`${OPEN_DATA_ROOT}/catalog.json`, async (req, reply) => send(req, reply, data.file(`${OPEN_DATA_ROOT}/catalog.json`)));
    app.get<{ Params: { year: string; month: string; file: string } }>(`${OPEN_DATA_ROOT}/:year/:month/:file`, async (req, reply) => {
      const { year, month, file } = req.params;
      return send(req, reply, data.file(`${OPEN_DATA_ROOT}/${year}/${month}/${file}`));
    });
  };
}
