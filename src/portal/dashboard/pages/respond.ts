// How every page route answers: the layout around the page's body (its title is the page's one h1),
// sent as HTML that no cache keeps (a dashboard page is a logged-in person's view).
import type { FastifyReply } from 'fastify';
import type { PageContext } from '../context.ts';
import { dashboardPage } from '../layout.ts';
import type { Lang } from './format.ts';

export function sendHtml(reply: FastifyReply, status: number, html: string) {
  return reply.status(status).headers({ 'cache-control': 'no-store' }).type('text/html; charset=utf-8').send(html);
}

/** A page of the dashboard: `title` in both languages, from the page file's own table. */
export function renderPage(ctx: PageContext, title: Record<Lang, string>, active: string, body: string): string {
  return dashboardPage({ lang: ctx.lang, user: ctx.user, csrf: ctx.csrf, title: title[ctx.lang], active, body });
}
