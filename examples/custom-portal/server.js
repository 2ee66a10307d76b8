import { loadConfig } from './config.js';
import { createPortal } from './portal.js';

const config = loadConfig(process.env);
const server = createPortal(config);
server.listen(config.port, config.host, () => {
  console.log(`${config.brand} portal on ${config.portalUrl} (listening on ${config.host}:${config.port})`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
