/* global process, fetch, AbortController, setTimeout */
// Container healthcheck: healthy only when Haven says it is ready (database answering, and
// whatever else /readyz lists). The slim image has no curl, so Node's fetch does it.
const port = process.env.PORT || '3000';
const controller = new AbortController();
setTimeout(() => controller.abort(), 4000).unref();
try {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: controller.signal });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
