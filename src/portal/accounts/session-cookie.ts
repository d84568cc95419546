// The session cookie (RFC 6265bis): HttpOnly (no script reads it), SameSite=Strict (no other site's
// page sends it, so no cross-site request rides the session), Path=/, no Max-Age (it ends with the
// browser; the server ends it sooner: sessions.ts). Behind TLS (`portalSecureCookies`: the portal
// itself speaks plain HTTP, so TLS is a reverse proxy's) it is also Secure and takes the `__Host-`
// prefix, which a browser accepts only when Secure, on Path=/ and without Domain, so no sibling
// host can plant or shadow it.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SessionCookie {
  name: string;
  read(req: FastifyRequest): string | undefined;
  set(reply: FastifyReply, id: string): void;
  clear(reply: FastifyReply): void;
}

const ID = /^[A-Za-z0-9_-]{43}$/;

export function sessionCookie(secure: boolean): SessionCookie {
  const name = secure ? '__Host-tabadol_session' : 'tabadol_session';
  const base = { httpOnly: true, sameSite: 'strict' as const, path: '/', secure };
  return {
    name,
    read(req) {
      const v = req.cookies[name];
      return typeof v === 'string' && ID.test(v) ? v : undefined;
    },
    set(reply, id) { reply.setCookie(name, id, base); },
    clear(reply) { reply.clearCookie(name, base); },
  };
}
