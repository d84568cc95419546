// A reference, not a product: the least a Node.js proxy can do (node:http in front of an undici
// Pool, on undici's dispatch), with no identity, rights, contract, record or metrics. Its row shows
// what Node's HTTP machinery costs on this machine, so the node's own pipeline can be read off the
// difference.  Usage: node bench/bare-proxy.ts <port> <provider port>
import http from 'node:http';
import { Pool, type Dispatcher } from 'undici';

const [port, providerPort] = process.argv.slice(2).map(Number) as [number, number];
const pool = new Pool(`http://127.0.0.1:${providerPort}`, { connections: 128 });
const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  let status = 0;
  let headers: string[] = [];
  const handler: Dispatcher.DispatchHandler = {
    onConnect() {},
    onHeaders(code, raw) {
      status = code;
      headers = raw.map((b) => b.toString('latin1')).filter((_, i, a) => !/^(connection|keep-alive|transfer-encoding|content-length)$/i.test(a[i - (i % 2)]!));
      return true;
    },
    onData(chunk) { chunks.push(chunk); return true; },
    onComplete() {
      const body = Buffer.concat(chunks);
      res.writeHead(status, [...headers, 'content-length', String(body.length)]);
      res.end(body);
    },
    onError() { res.writeHead(502).end(); },
  };
  req.resume();
  req.on('end', () => pool.dispatch({ method: 'GET', path: req.url!, headers: ['x-forwarded-for', '127.0.0.1'] }, handler));
});
server.listen(port, '127.0.0.1');
const stop = () => { server.closeAllConnections(); server.close(() => void pool.close().then(() => process.exit(0))); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
