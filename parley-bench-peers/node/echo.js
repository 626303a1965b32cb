'use strict';
// Node's ws as a peer of Parley's side-by-side benchmark, with the same command line and endpoints
// as the JVM peers in peers.jar:
//
//   node echo.js --port P [--deflate] [--tls-cert PEM --tls-key PEM]
//
// prints exactly "READY <port>" once listening on 127.0.0.1 (port 0 picks a free one), then
// serves until SIGTERM or SIGINT, which close every connection and exit.
//
//   /echo       every text and binary message is sent back unchanged, as the same kind
//   /broadcast  every message is sent to every other open /broadcast client (ws's README
//               "broadcast to all connected WebSocket clients, excluding itself" example)
//
// Settings, as ws's README recommends: one WebSocketServer per path in noServer mode on one
// http(s) server ("Multiple servers sharing a single HTTP/S server"); perMessageDeflate off
// (ws's default) unless --deflate, then ws's own defaults for it; maxPayload left at ws's default,
// 100 MiB (>= 16 MiB). The optional bufferutil package (prebuilt binaries ship inside the npm
// package, no native build) speeds up masking as ws's README suggests; ws uses it when installed.
// Node runs one thread: this is one process, as ws serves.

const fs = require('fs');
const http = require('http');
const https = require('https');
const { WebSocketServer, WebSocket } = require('ws');

function parse(argv) {
  const options = { port: null, deflate: false, cert: null, key: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--port': options.port = Number.parseInt(value(), 10); break;
      case '--deflate': options.deflate = true; break;
      case '--tls-cert': options.cert = value(); break;
      case '--tls-key': options.key = value(); break;
      default: throw new Error(`unknown argument: ${arg}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error('--port P (0-65535) is required');
  }
  if ((options.cert === null) !== (options.key === null)) {
    throw new Error('--tls-cert and --tls-key go together');
  }
  return options;
}

let options;
try {
  options = parse(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`echo.js: ${e.message}\n`);
  process.stderr.write('usage: node echo.js --port P [--deflate] [--tls-cert PEM --tls-key PEM]\n');
  process.exit(2);
}

const server = options.cert
  ? https.createServer({ cert: fs.readFileSync(options.cert), key: fs.readFileSync(options.key) })
  : http.createServer();
server.on('request', (req, res) => {
  res.writeHead(426, { 'Content-Type': 'text/plain' });
  res.end('WebSocket only: /echo, /broadcast\n');
});

const wsOptions = { noServer: true, perMessageDeflate: options.deflate };
const echo = new WebSocketServer(wsOptions);
const broadcast = new WebSocketServer(wsOptions);

echo.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});

broadcast.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => {
    for (const client of broadcast.clients) {
      if (client !== ws && client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    }
  });
});

const routes = { '/echo': echo, '/broadcast': broadcast };
server.on('upgrade', (request, socket, head) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  const wss = routes[path];
  if (!wss) {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

server.listen(options.port, '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});

function stop() {
  for (const wss of [echo, broadcast]) {
    for (const client of wss.clients) client.close(1001, 'going away');
    wss.close();
  }
  server.close(() => process.exit(0));
  setTimeout(() => {
    for (const wss of [echo, broadcast]) for (const client of wss.clients) client.terminate();
    process.exit(0);
  }, 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
