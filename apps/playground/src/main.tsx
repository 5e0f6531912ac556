import '@plugin-interfaces/ui-react/styles.css';
import './app.css';
import { createWebSocketClient, type WebSocketConstructor } from '@plugin-interfaces/ui-react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { frameBatchedClient } from './connection/frame-batched-client.js';
import { FrameLog } from './connection/frame-log.js';
import { LogStore } from './connection/plugin-logs.js';
import { tapWebSocket } from './connection/tap.js';
import { bridgeEndpoint, tokenFromUrl } from './connection/token.js';
import { MissingToken } from './panels/MissingToken.js';

const root = createRoot(document.getElementById('root')!);
const token = tokenFromUrl(location.href);
if (token === null) {
  root.render(<MissingToken />);
} else {
  const frames = new FrameLog();
  const logs = new LogStore();
  const client = createWebSocketClient({
    url: bridgeEndpoint(location.href),
    token,
    WebSocket: tapWebSocket(WebSocket as unknown as WebSocketConstructor, (d, t) => frames.add(d, t)),
    // A restarted playground keeps its token: retry often enough to be back within a second or two.
    backoff: { initialMs: 200, factor: 1.5, maxMs: 2_000 },
  });
  // The log store listens to the unbatched client, so no log line is collapsed away.
  logs.attach(client);
  root.render(
    <StrictMode>
      <App client={frameBatchedClient(client)} frames={frames} logs={logs} />
    </StrictMode>,
  );
}
