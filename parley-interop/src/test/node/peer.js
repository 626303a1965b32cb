'use strict';
// A Node `ws` peer for Parley's interop tests, driven by the JUnit tests in parley-interop.
//
//   node peer.js server [<cert.pem> <key.pem>]
//                         echo servers on 127.0.0.1, one without and one with permessage-deflate;
//                         prints "listening <plainPort> <deflatePort>", then one line per event.
//                         With a certificate and key they serve wss: https.createServer({ cert, key }).
//   node peer.js client   reads commands from stdin, one per line, and answers each with one line.
//
// Either mode exits when stdin ends, so a child the JVM forgets cannot outlive it.
// Payloads are generated exactly as Payloads.java does, so both sides can check them byte for byte.

const fs = require('fs');
const https = require('https');
const { WebSocket, WebSocketServer } = require('ws');
const readline = require('readline');

const MAX = 32 * 1024 * 1024;

function out(line) {
  process.stdout.write(line + '\n');
}

// --- payloads: the same algorithms as dev.parley.interop.Payloads --------------------------------

const UNIT = Array.from('Parley κόσμε ✓ 🙂 interop\n');

function text(n) {
  const parts = [];
  let bytes = 0;
  for (let i = 0; ; i++) {
    const cp = UNIT[i % UNIT.length];
    const len = Buffer.byteLength(cp);
    if (bytes + len > n) break;
    parts.push(cp);
    bytes += len;
  }
  return Buffer.from(parts.join('') + 'x'.repeat(n - bytes), 'utf8');
}

function binary(n) {
  const b = Buffer.allocUnsafe(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    b[i] = x & 0xff;
  }
  return b;
}

function payload(kind, n) {
  return kind === 'text' ? text(n) : binary(n);
}

/** Sends `data` as `count` fragments of (nearly) equal byte length; text may split inside a character. */
function sendFragments(ws, kind, data, count, done) {
  const size = Math.ceil(data.length / count);
  let i = 0;
  const next = (err) => {
    if (err) return done(err);
    if (i >= count) return done();
    const chunk = data.subarray(i * size, Math.min(data.length, (i + 1) * size));
    i++;
    ws.send(chunk, { binary: kind === 'binary', fin: i === count }, next);
  };
  next();
}

// --- server mode ----------------------------------------------------------------------------------

// tls: { cert, key } for wss (each server behind its own https.createServer), or null for ws.
function server(tls) {
  // threshold 0: the deflate server compresses every message, the empty one included.
  const servers = [false, { threshold: 0 }].map((deflate) => {
    if (!tls) {
      return new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: MAX, perMessageDeflate: deflate });
    }
    const httpsServer = https.createServer(tls);
    httpsServer.on('tlsClientError', (err) => out('error tls ' + err.message));
    const wss = new WebSocketServer({ server: httpsServer, maxPayload: MAX, perMessageDeflate: deflate });
    httpsServer.listen(0, '127.0.0.1');
    return wss;
  });
  let listening = 0;
  for (const wss of servers) {
    wss.on('listening', () => {
      if (++listening === servers.length) {
        out('listening ' + servers.map((s) => s.address().port).join(' '));
      }
    });
    wss.on('connection', (ws, req) => {
      const url = new URL(req.url, 'http://peer');
      const tag = url.searchParams.get('tag') || '-';
      out('open ' + tag + ' ' + url.pathname + ' ' + (ws.extensions || 'plain'));
      ws.on('close', (code, reason) => out('closed ' + tag + ' ' + code + ' ' + reason.toString()));
      ws.on('error', (err) => out('error ' + tag + ' ' + err.message));
      ws.on('pong', (data) => {
        if (!data.toString().startsWith('between ')) ws.send('pong ' + data.toString());
      });
      if (url.pathname === '/echo') {
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      } else if (url.pathname === '/greet') { // a message right behind the 101 response
        ws.send('hello ' + tag);
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      } else if (url.pathname === '/cmd') {
        ws.on('message', (data) => command(ws, data.toString().split(' ')));
      } else {
        ws.close(4404, 'no such path');
      }
    });
  }
}

// Commands a client sends on /cmd, the same set as the Jetty peer's.
function command(ws, [verb, ...args]) {
  switch (verb) {
    case 'fragments': { // fragments <text|binary> <count> <totalBytes>
      const [kind, count, total] = [args[0], Number(args[1]), Number(args[2])];
      sendFragments(ws, kind, payload(kind, total), count, (err) => err && out('error send ' + err.message));
      break;
    }
    case 'interleave': { // interleave <count>: text(count * 2000) in fragments, a ping between each two
      const count = Number(args[0]);
      const data = text(count * 2000);
      for (let i = 0; i < count; i++) {
        if (i > 0) ws.ping('between ' + i);
        ws.send(data.subarray(i * 2000, (i + 1) * 2000), { binary: false, fin: i === count - 1 });
      }
      break;
    }
    case 'close-empty': // a close frame without a status code
      ws.close();
      break;
    case 'ping': // ping <data>: the client's pong comes back as a text "pong <data>"
      ws.ping(args.join(' '));
      break;
    case 'close': // close <code> <reason...>
      ws.close(Number(args[0]), args.slice(1).join(' '));
      break;
    case 'terminate':
      ws.terminate();
      break;
    default:
      ws.send('unknown command ' + verb);
  }
}

// --- client mode ----------------------------------------------------------------------------------

const clients = new Map();

// deflate: 'false', 'true' (ws's defaults: messages under 1 KiB go uncompressed) or 'all' (threshold 0)
// ca: for wss, a PEM file with the certificate(s) to trust instead of Node's bundled CAs
function connect(id, url, deflate, ca) {
  const perMessageDeflate = deflate === 'all' ? { threshold: 0 } : deflate === 'true';
  const options = { perMessageDeflate, maxPayload: MAX };
  if (ca) options.ca = fs.readFileSync(ca);
  const ws = new WebSocket(url, options);
  clients.set(id, { ws, waiting: [] });
  ws.on('open', () => out('open ' + id + ' ' + (ws.extensions || '-')));
  ws.on('message', (data, isBinary) => {
    const w = clients.get(id).waiting.shift();
    if (w) w(data, isBinary);
    else out('unexpected ' + id + ' message of ' + data.length + ' bytes');
  });
  ws.on('pong', (data) => out('pong ' + id + ' ' + data.toString()));
  ws.on('close', (code, reason) => out('closed ' + id + ' ' + code + ' ' + reason.toString()));
  ws.on('error', (err) => out('error ' + id + ' ' + err.message));
}

function expectEcho(id, kind, expected, label) {
  clients.get(id).waiting.push((data, isBinary) => {
    const ok = isBinary === (kind === 'binary') && Buffer.isBuffer(data) && data.equals(expected);
    out((ok ? 'echoed ' : 'mismatch ') + id + ' ' + label
      + (ok ? '' : ' got ' + data.length + ' bytes binary=' + isBinary));
  });
}

function load(url, count, messages, deflate, ca) {
  const started = Date.now();
  let opened = 0;
  let finished = 0;
  let failed = null;
  const fail = (why) => {
    if (!failed) {
      failed = why;
      out('load fail ' + why);
    }
  };
  for (let c = 0; c < count; c++) {
    const ws = new WebSocket(url, ca ? { perMessageDeflate: deflate, ca } : { perMessageDeflate: deflate });
    let next = 0;
    ws.on('open', () => {
      opened++;
      for (let m = 0; m < messages; m++) ws.send('client ' + c + ' message ' + m);
    });
    ws.on('message', (data) => {
      const want = 'client ' + c + ' message ' + next;
      if (data.toString() !== want) fail('client ' + c + ' got "' + data + '", expected "' + want + '"');
      if (++next === messages) ws.close(1000, 'done');
    });
    ws.on('close', (code) => {
      if (code !== 1000) fail('client ' + c + ' closed with ' + code + ' after ' + next + ' echoes');
      if (++finished === count && !failed) {
        out('load ok ' + opened + ' ' + (Date.now() - started) + 'ms');
      }
    });
    ws.on('error', (err) => fail('client ' + c + ': ' + err.message));
  }
}

function client(line) {
  const [verb, id, ...args] = line.trim().split(' ');
  const c = clients.get(id);
  switch (verb) {
    case 'connect': // connect <id> <url> <deflate true|false|all> [<ca.pem>]
      connect(id, args[0], args[1], args[2]);
      break;
    case 'echo': { // echo <id> <text|binary> <bytes>
      const data = payload(args[0], Number(args[1]));
      expectEcho(id, args[0], data, args[0] + ' ' + args[1]);
      c.ws.send(data, { binary: args[0] === 'binary' });
      break;
    }
    case 'fragments': { // fragments <id> <text|binary> <count> <totalBytes>
      const data = payload(args[0], Number(args[2]));
      expectEcho(id, args[0], data, 'fragments ' + args.join(' '));
      sendFragments(c.ws, args[0], data, Number(args[1]), (err) => err && out('error ' + id + ' ' + err.message));
      break;
    }
    case 'stream': { // stream <id> <count> <bytes>: similar text messages, every 5th marked "prepared "
      const [count, bytes] = args.map(Number);
      const words = ['alice ', 'bob ', '"text": ', 'hello ', 'world ', '42 ', 'channel ', 'presence ', 'fox ', '} '];
      let ascii = '';
      for (let x = 7; ascii.length < bytes + 4096; ) {
        x = (x * 1103515245 + 12345) % 2147483648;
        ascii += words[x % words.length];
      }
      const source = Buffer.from(ascii, 'latin1');
      let got = 0;
      let bad = null;
      for (let i = 0; i < count; i++) {
        const slice = source.subarray((i * 13) % 4096, (i * 13) % 4096 + bytes);
        const data = Buffer.concat([Buffer.from(i % 5 === 4 ? 'prepared ' : 'direct   '), slice]);
        c.waiting.push((echo, isBinary) => {
          if (!bad && (isBinary || !echo.equals(data))) {
            bad = 'echo ' + got + ' differs: ' + echo.length + ' bytes for ' + data.length + ', binary=' + isBinary;
          }
          if (++got === count) out((bad ? 'mismatch ' : 'streamed ') + id + ' ' + count + (bad ? ' ' + bad : ''));
        });
        c.ws.send(data, { binary: false });
      }
      break;
    }
    case 'flood': { // flood <id> <count> <bytes> <pauseMs>: send while not reading, then read
      const [count, bytes, pauseMs] = args.map(Number);
      const socket = c.ws._socket; // ws has no public pause; the socket's is what we want
      socket.pause();
      let got = 0;
      let bad = null;
      for (let i = 0; i < count; i++) {
        const data = binary(bytes);
        data.writeUInt32BE(i, 0);
        c.waiting.push((echo) => {
          if (!bad && !echo.equals(data)) bad = 'echo ' + got + ' differs';
          if (++got === count) out((bad ? 'mismatch ' : 'flooded ') + id + ' ' + count + (bad ? ' ' + bad : ''));
        });
        c.ws.send(data, { binary: true });
      }
      setTimeout(() => socket.resume(), pauseMs);
      break;
    }
    case 'ping': // ping <id> <data>
      c.ws.ping(args.join(' '));
      break;
    case 'close': // close <id> <code> <reason...>
      c.ws.close(Number(args[0]), args.slice(1).join(' '));
      break;
    case 'terminate':
      c.ws.terminate();
      break;
    case 'load': // load <id> <url> <clients> <messages> <deflate> [<ca.pem>]
      load(args[0], Number(args[1]), Number(args[2]), args[3] === 'true', args[4] && fs.readFileSync(args[4]));
      break;
    default:
      out('unknown command ' + verb);
  }
}

// --- main -----------------------------------------------------------------------------------------

const mode = process.argv[2];
const input = readline.createInterface({ input: process.stdin });
input.on('close', () => process.exit(0));
if (mode === 'server') {
  const [cert, key] = process.argv.slice(3);
  server(cert && key ? { cert: fs.readFileSync(cert), key: fs.readFileSync(key) } : null);
} else if (mode === 'client') {
  input.on('line', (line) => {
    try {
      client(line);
    } catch (err) {
      out('error ' + line + ': ' + err.message);
    }
  });
  out('ready');
} else {
  process.stderr.write('usage: node peer.js server [<cert.pem> <key.pem>] | client\n');
  process.exit(2);
}
