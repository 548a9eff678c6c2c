// The reference `npm run bench:pages` compares Haven's pages with: a bare express app answering
// "hello" on loopback, in its own process, so both sides pay for HTTP parsing and express routing
// the same way and the ratio shows what Haven's own work per page costs.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => {
  res.send('hello');
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ port: address.port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
