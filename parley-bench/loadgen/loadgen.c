/*
 * loadgen — WebSocket load generator for Parley's side-by-side benchmark.
 *
 * One thread, one epoll set (level-triggered), non-blocking sockets. Client and servers share
 * the machine's two cores, so the generator must stay cheap per message: one thread has no
 * locks or cross-core traffic, batches every frame produced while handling one read into one
 * write(), and its CPU cost is measured (getrusage) and reported next to the server's
 * (/proc/PID/stat) for the same window. If the generator itself saturates its core, the JSON
 * says so ("loadgen_cpu_util" near 1.0) and the figure is a lower bound for the server.
 *
 * Speaks RFC 6455 as a client: real HTTP/1.1 upgrade, Sec-WebSocket-Accept checked with its
 * own SHA-1 + base64, masked frames with a fresh key per frame, server frames parsed and
 * checked (unmasked, RSV bits, control-frame rules, fragmentation), ping answered with pong,
 * closing handshake. Optional permessage-deflate (RFC 7692, zlib) and TLS (OpenSSL, no
 * certificate verification: the peers use a throwaway self-signed certificate on loopback).
 * The generator compresses at zlib level 1: its own cost is kept low, and what the server
 * must do (inflate every message, deflate every echo at its own level) does not depend on it.
 *
 * Mask keys come from a splitmix64 generator seeded from getrandom(). That is not the
 * unpredictability RFC 6455 §10.3 asks of browsers (it defends proxies against hostile
 * scripts); on loopback with no proxy a fast generator is enough and keeps masking cheap.
 *
 * Payloads: an ASCII header (sequence number, and in rate/broadcast modes a send timestamp,
 * each as 16 hex digits) followed by bytes from a fixed, deterministic word pattern, so every
 * server gets the same bytes and every echo can be compared byte for byte. Payloads are valid
 * UTF-8, so --text and binary frames carry the same bytes.
 *
 * Every loop is bounded: a run ends by itself after setup + warm-up + duration + a close grace,
 * and alarm() is a backstop. Only loopback addresses (127.0.0.0/8) are accepted.
 *
 * Output: one JSON object on stdout. Progress and problems go to stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ---------------------------------------------------------------- options */

enum mode { M_ECHO, M_RATE, M_IDLE, M_CONNECT, M_BROADCAST, M_HUB };
static const char *const MODE_NAMES[] = {"echo", "rate", "idle", "connect", "broadcast", "hub"};
/* Broadcast and hub: subscribers and one publisher. */
#define FANOUT (opt.mode == M_BROADCAST || opt.mode == M_HUB)

static struct {
    enum mode mode;
    const char *host;
    int port;
    const char *path;
    int conns;
    int inflight;
    int size;
    double warmup;
    double duration;
    double rate;
    int sources;
    int deflate;
    int tls;
    int text;
    int server_pid;
    int max_pending;
    double setup_timeout;
    int waves;
} opt = {
    .waves = 1,
    .host = "127.0.0.1",
    .port = 8080,
    .conns = 100,
    .inflight = 16,
    .size = 32,
    .warmup = 2,
    .duration = 5,
    .rate = 10000,
    .sources = 1,
    .max_pending = 256,
    .setup_timeout = 60,
};

#define MAX_MESSAGE (16u << 20) /* larger messages from a server are a protocol error here */
#define MAX_WBUF (64u << 20)    /* a connection queueing more than this has stalled */
#define HANDSHAKE_TIMEOUT_NS (10 * NS)
#define CLOSE_GRACE_NS (2 * NS)
#define NS 1000000000LL

/* ---------------------------------------------------------------- small helpers */

static int64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("loadgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) die("out of memory (%zu bytes)", n);
    return q;
}

/* splitmix64: fast, good enough for mask keys and the fixed payload pattern (see top). */
static uint64_t rng_state;
static uint64_t rng64(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static const char HEX[] = "0123456789abcdef";
static void put_hex16(uint8_t *p, uint64_t v) {
    for (int i = 15; i >= 0; i--, v >>= 4) p[i] = (uint8_t)HEX[v & 15];
}
static int get_hex16(const uint8_t *p, uint64_t *out) {
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t ch = p[i];
        unsigned d;
        if (ch >= '0' && ch <= '9') d = ch - '0';
        else if (ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
        else return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

/* ---------------------------------------------------------------- SHA-1 and base64 (handshake) */

static uint32_t rol32(uint32_t x, int n) { return x << n | x >> (32 - n); }

static void sha1(const uint8_t *data, size_t len, uint8_t out[20]) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    uint8_t block[64];
    uint64_t bits = (uint64_t)len * 8;
    size_t total = ((len + 8) / 64 + 1) * 64; /* message + 0x80 + length, padded to 64 */
    for (size_t off = 0; off < total; off += 64) {
        for (int i = 0; i < 64; i++) {
            size_t k = off + i;
            if (k < len) block[i] = data[k];
            else if (k == len) block[i] = 0x80;
            else if (k >= total - 8) block[i] = (uint8_t)(bits >> (8 * (total - 1 - k)));
            else block[i] = 0;
        }
        uint32_t w[80];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
                   (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
        for (int i = 16; i < 80; i++) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
            else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
            else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
            else f = b ^ c ^ d, k = 0xCA62C1D6;
            uint32_t t = rol32(a, 5) + f + e + k + w[i];
            e = d, d = c, c = rol32(b, 30), b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) out[4 * i + j] = (uint8_t)(h[i] >> (24 - 8 * j));
}

static void base64(const uint8_t *in, size_t n, char *out) {
    static const char T[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = T[v >> 18 & 63];
        out[o++] = T[v >> 12 & 63];
        out[o++] = i + 1 < n ? T[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? T[v & 63] : '=';
    }
    out[o] = 0;
}

/* ---------------------------------------------------------------- latency histogram */

/* Log-linear buckets like HdrHistogram with 2 significant digits: values below 128 are exact,
 * above that each power of two is split into 64 buckets (< 1.6% relative error). Values in ns. */
#define H_SUB 64
#define H_BUCKETS (H_SUB * 60)
struct hist {
    uint64_t n[H_BUCKETS];
    uint64_t count, max;
};

static int h_index(uint64_t v) {
    if (v < 2 * H_SUB) return (int)v;
    int shift = 63 - __builtin_clzll(v) - 6; /* v >> shift in [64, 127] */
    int i = (shift + 1) * H_SUB + (int)((v >> shift) - H_SUB);
    return i < H_BUCKETS ? i : H_BUCKETS - 1;
}
static uint64_t h_upper(int i) { /* highest value that falls in bucket i */
    if (i < 2 * H_SUB) return (uint64_t)i;
    int shift = i / H_SUB - 1;
    uint64_t sub = (uint64_t)(i % H_SUB + H_SUB);
    return ((sub + 1) << shift) - 1;
}
static void h_add(struct hist *h, int64_t v) {
    if (v < 0) v = 0;
    h->n[h_index((uint64_t)v)]++;
    h->count++;
    if ((uint64_t)v > h->max) h->max = (uint64_t)v;
}
static double h_pct_us(const struct hist *h, double p) {
    if (!h->count) return 0;
    uint64_t want = (uint64_t)(p / 100.0 * (double)h->count + 0.5);
    if (want < 1) want = 1;
    uint64_t seen = 0;
    for (int i = 0; i < H_BUCKETS; i++) {
        seen += h->n[i];
        if (seen >= want) {
            uint64_t u = h_upper(i);
            return (double)(u < h->max ? u : h->max) / 1000.0;
        }
    }
    return (double)h->max / 1000.0;
}

/* ---------------------------------------------------------------- connections */

enum state { ST_FREE, ST_CONNECTING, ST_TLS, ST_UPGRADE, ST_OPEN, ST_CLOSING };
enum role { R_ECHO, R_SUB, R_PUB, R_IDLE, R_CONNECT };

struct conn {
    int fd;
    uint8_t state, role, out_armed, deflate, got_close, sent_close, in_msg, msg_op, msg_rsv1;
    uint8_t client_no_ctx, server_no_ctx;
    uint8_t hub_ready; /* hub mode: connected (publisher) or subscribed (subscriber) */
    uint16_t src;
    SSL *ssl;
    uint8_t *rx; /* bytes not yet parsed (partial frame or headers) */
    uint32_t rxlen, rxcap;
    uint8_t *wb; /* bytes not yet written */
    uint32_t wlen, woff, wcap;
    uint8_t *msg; /* fragments of a message being assembled */
    uint32_t msglen, msgcap;
    uint64_t send_seq, recv_seq;
    int64_t t_start, t_close;
    char accept[32];
    z_stream *zd, *zi;
};

static struct conn *conns;
static int nconns; /* slots in use: subscribers/echo connections, plus the publisher */
static int epfd;
static SSL_CTX *ssl_ctx;
static struct sockaddr_in server_addr;

/* The fixed payload pattern: words from a small vocabulary, deterministic (fixed seed). */
static uint8_t *pattern;
static int hdr_len; /* 16 (sequence) or 32 (sequence + timestamp) */
static uint8_t *scratch;
static size_t scratch_cap;
static uint8_t rbuf[256 * 1024];
static uint8_t *zbuf; /* deflate/inflate output */
static size_t zbuf_cap;

/* P_REOPEN (idle with --waves): closing one wave of connections before opening the next. */
enum phase { P_SETUP, P_WARMUP, P_MEASURE, P_DRAIN, P_REOPEN, P_DONE };
static enum phase phase = P_SETUP;
static int64_t now, t_begin, t_setup_done, t_measure, t_end, t_drain;

struct counters {
    uint64_t sent, recv, recv_bytes, handshakes, closes_clean, deliveries, gaps;
    uint64_t reads, writes, waits; /* our own system calls, to explain our CPU cost */
    uint64_t e_connect, e_handshake, e_protocol, e_mismatch, e_closed, e_timeout, e_overflow;
};
static struct counters cnt, cnt_at_measure, cnt_at_end;
static struct hist lat, lag;

static int open_ok, settled, pending, target; /* setup bookkeeping */
static int wave = 1;                            /* idle: which round of opening, 1..opt.waves */
static int64_t t_settle;
struct wave_result {
    long rss_base_kb, rss_open_kb;
    int open;
};
static struct wave_result waves_out[8];
static uint64_t next_src;
static int deflate_negotiated;

static uint64_t errors_total(const struct counters *k) {
    return k->e_connect + k->e_handshake + k->e_protocol + k->e_mismatch + k->e_closed +
           k->e_timeout + k->e_overflow;
}

static int quiet; /* selftest: the refusals it provokes are expected */
static void warnx(const char *fmt, ...) {
    static int shown;
    if (quiet || shown++ >= 20) return; /* the JSON has the counts; keep stderr short */
    va_list ap;
    va_start(ap, fmt);
    fputs("loadgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void set_out(struct conn *c, int on) {
    if (c->out_armed == on) return;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    c->out_armed = (uint8_t)on;
}

static void conn_release(struct conn *c) {
    if (c->ssl) SSL_free(c->ssl);
    if (c->fd >= 0) close(c->fd); /* also removes it from epoll */
    if (c->zd) deflateEnd(c->zd), free(c->zd);
    if (c->zi) inflateEnd(c->zi), free(c->zi);
    free(c->rx);
    free(c->wb);
    free(c->msg);
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->state = ST_FREE;
}

/* Counts a failure once, by kind, and drops the connection. */
static void conn_fail(struct conn *c, uint64_t *kind, const char *why) {
    if (kind) {
        (*kind)++;
        warnx("connection %d: %s", (int)(c - conns), why);
    }
    if (c->state < ST_OPEN && phase == P_SETUP && c->role != R_CONNECT) settled++, pending--;
    conn_release(c);
}

/* ---------------------------------------------------------------- I/O (plain or TLS) */

/* > 0 bytes, 0 end of stream, -1 would block, -2 error */
static ssize_t io_read(struct conn *c, void *buf, size_t n) {
    cnt.reads++;
    if (!c->ssl) {
        ssize_t r = read(c->fd, buf, n);
        if (r >= 0) return r;
        return errno == EAGAIN || errno == EINTR ? -1 : -2;
    }
    int r = SSL_read(c->ssl, buf, (int)n);
    if (r > 0) return r;
    switch (SSL_get_error(c->ssl, r)) {
    case SSL_ERROR_WANT_READ: return -1;
    case SSL_ERROR_WANT_WRITE: set_out(c, 1); return -1;
    case SSL_ERROR_ZERO_RETURN: return 0;
    default: ERR_clear_error(); return -2;
    }
}

static ssize_t io_write(struct conn *c, const void *buf, size_t n) {
    cnt.writes++;
    if (!c->ssl) {
        ssize_t r = send(c->fd, buf, n, MSG_NOSIGNAL);
        if (r >= 0) return r;
        return errno == EAGAIN || errno == EINTR ? -1 : -2;
    }
    int r = SSL_write(c->ssl, buf, (int)n);
    if (r > 0) return r;
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) return -1;
    ERR_clear_error();
    return -2;
}

/* Writes what is queued; arms EPOLLOUT for the rest. Returns -1 if the connection failed. */
static int flush(struct conn *c) {
    while (c->woff < c->wlen) {
        ssize_t r = io_write(c, c->wb + c->woff, c->wlen - c->woff);
        if (r > 0) {
            c->woff += (uint32_t)r;
        } else if (r == -1) {
            set_out(c, 1);
            return 0;
        } else {
            conn_fail(c, phase < P_DRAIN ? &cnt.e_closed : NULL, "write failed");
            return -1;
        }
    }
    c->wlen = c->woff = 0;
    if (c->role == R_IDLE && c->state == ST_OPEN && c->wb) free(c->wb), c->wb = NULL, c->wcap = 0;
    set_out(c, 0);
    return 0;
}

static uint8_t *wb_reserve(struct conn *c, size_t n) {
    if (c->woff && c->woff == c->wlen) c->woff = c->wlen = 0;
    if (c->wlen + n > c->wcap) {
        if (c->woff) { /* compact before growing */
            memmove(c->wb, c->wb + c->woff, c->wlen - c->woff);
            c->wlen -= c->woff, c->woff = 0;
        }
        if (c->wlen + n > c->wcap) {
            size_t cap = c->wcap ? c->wcap : 1024;
            while (cap < c->wlen + n) cap *= 2;
            c->wb = xrealloc(c->wb, cap);
            c->wcap = (uint32_t)cap;
        }
    }
    return c->wb + c->wlen;
}

/* ---------------------------------------------------------------- frames out */

/* Copies n bytes masked with key (RFC 6455 §5.3), 8 bytes at a time. */
static void mask_copy(uint8_t *dst, const uint8_t *src, size_t n, uint32_t key) {
    uint64_t k8 = (uint64_t)key << 32 | key;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, src + i, 8);
        v ^= k8;
        memcpy(dst + i, &v, 8);
    }
    const uint8_t *kb = (const uint8_t *)&key;
    for (; i < n; i++) dst[i] = src[i] ^ kb[i & 3];
}

#define B0_FIN 0x80
#define B0_RSV1 0x40
#define B0_RSV23 0x30
#define B1_MASK 0x80
enum { OP_CONT = 0, OP_TEXT = 1, OP_BINARY = 2, OP_CLOSE = 8, OP_PING = 9, OP_PONG = 10 };

static void put_frame(struct conn *c, int op, int rsv1, const uint8_t *payload, size_t n) {
    uint8_t *p = wb_reserve(c, n + 14);
    size_t h;
    p[0] = (uint8_t)(B0_FIN | (rsv1 ? B0_RSV1 : 0) | op);
    if (n < 126) {
        p[1] = (uint8_t)(B1_MASK | n), h = 2;
    } else if (n < 65536) {
        p[1] = B1_MASK | 126, p[2] = (uint8_t)(n >> 8), p[3] = (uint8_t)n, h = 4;
    } else {
        p[1] = B1_MASK | 127;
        for (int i = 0; i < 8; i++) p[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
        h = 10;
    }
    uint32_t key = (uint32_t)rng64();
    memcpy(p + h, &key, 4);
    mask_copy(p + h + 4, payload, n, key);
    c->wlen += (uint32_t)(h + 4 + n);
}

static void zbuf_reserve(size_t n) {
    if (n > zbuf_cap) zbuf = xrealloc(zbuf, zbuf_cap = n);
}

/* Queues one data message, compressed when permessage-deflate was negotiated (RFC 7692 §7.2.1). */
static void put_message(struct conn *c, const uint8_t *p, size_t n) {
    int op = opt.text || opt.mode == M_HUB ? OP_TEXT : OP_BINARY;
    if (!c->deflate) {
        put_frame(c, op, 0, p, n);
        return;
    }
    zbuf_reserve(deflateBound(c->zd, n) + 16);
    c->zd->next_in = (uint8_t *)p, c->zd->avail_in = (uInt)n;
    c->zd->next_out = zbuf, c->zd->avail_out = (uInt)zbuf_cap;
    deflate(c->zd, Z_SYNC_FLUSH);
    size_t out = zbuf_cap - c->zd->avail_out;
    if (out >= 4) out -= 4; /* drop the 00 00 ff ff tail of the sync flush */
    if (c->client_no_ctx) deflateReset(c->zd);
    put_frame(c, op, 1, zbuf, out);
}

static void put_close(struct conn *c, uint16_t code) {
    uint8_t p[2] = {(uint8_t)(code >> 8), (uint8_t)code};
    put_frame(c, OP_CLOSE, 0, p, 2);
    c->sent_close = 1;
    c->t_close = now;
    if (c->state == ST_OPEN) c->state = ST_CLOSING;
}

static uint32_t pattern_off(uint64_t seq) { return (uint32_t)(seq * 13 & 255); }

/* Hub mode's commands (docs/PROTOCOL.md): the channel is in a namespace where clients publish. */
#define HUB_CHANNEL "bench:fanout"
static const char HUB_PUBLISH[] = "{\"type\":\"publish\",\"channel\":\"" HUB_CHANNEL "\",\"data\":\"";

static void put_text(struct conn *c, const char *text) {
    int saved = opt.text;
    opt.text = 1; /* the hub protocol is text */
    put_message(c, (const uint8_t *)text, strlen(text));
    opt.text = saved;
}

/* Builds and queues the next test message of c; ts is the send timestamp (rate, broadcast). */
static void send_test_message(struct conn *c, int64_t ts) {
    size_t n = (size_t)opt.size;
    uint64_t seq = c->send_seq++;
    size_t at = 0;
    if (opt.mode == M_HUB) { /* the payload travels as the JSON string "data" of a publish */
        memcpy(scratch, HUB_PUBLISH, sizeof HUB_PUBLISH - 1);
        at = sizeof HUB_PUBLISH - 1;
    }
    put_hex16(scratch + at, seq);
    if (hdr_len == 32) put_hex16(scratch + at + 16, (uint64_t)ts);
    memcpy(scratch + at + hdr_len, pattern + pattern_off(seq), n - (size_t)hdr_len);
    if (opt.mode == M_HUB) {
        memcpy(scratch + at + n, "\"}", 2);
        n += at + 2;
    }
    put_message(c, scratch, n);
    cnt.sent++;
}

/* ---------------------------------------------------------------- handshake */

static const char GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

#define DEFLATE_OFFER "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"

static void send_upgrade(struct conn *c) {
    uint8_t raw[16];
    uint64_t a = rng64(), b = rng64();
    memcpy(raw, &a, 8), memcpy(raw + 8, &b, 8);
    char key[32], cat[80];
    base64(raw, 16, key);
    uint8_t digest[20];
    int n = snprintf(cat, sizeof cat, "%s%s", key, GUID);
    sha1((const uint8_t *)cat, (size_t)n, digest);
    base64(digest, 20, c->accept);
    char req[512];
    n = snprintf(req, sizeof req,
                 "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
                 opt.path, opt.host, opt.port, key,
                 opt.deflate ? DEFLATE_OFFER : "");
    memcpy(wb_reserve(c, (size_t)n), req, (size_t)n);
    c->wlen += (uint32_t)n;
    c->state = ST_UPGRADE;
    flush(c);
}

/* Case-insensitive: does the comma-separated header value contain token? */
static int has_token(const char *v, const char *token) {
    size_t tl = strlen(token);
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!strncasecmp(p, token, tl) && (p[tl] == 0 || p[tl] == ',' || p[tl] == ' ' || p[tl] == ';'))
            return 1;
        while (*p && *p != ',') p++;
    }
    return 0;
}

/* Parses the permessage-deflate response (RFC 7692 §7.1). Returns -1 if it is unacceptable. */
static int accept_deflate(struct conn *c, const char *v) {
    if (!opt.deflate || strncasecmp(v, "permessage-deflate", 18)) return -1;
    int client_bits = 15;
    for (const char *p = v + 18; (p = strchr(p, ';'));) {
        p++;
        while (*p == ' ') p++;
        if (!strncasecmp(p, "server_no_context_takeover", 26)) c->server_no_ctx = 1;
        else if (!strncasecmp(p, "client_no_context_takeover", 26)) c->client_no_ctx = 1;
        else if (!strncasecmp(p, "client_max_window_bits", 22)) {
            const char *e = strchr(p, '=');
            if (e && (!strchr(p, ';') || e < strchr(p, ';'))) client_bits = atoi(e + 1 + (e[1] == '"'));
        } else if (strncasecmp(p, "server_max_window_bits", 22)) return -1;
    }
    if (client_bits < 8 || client_bits > 15) return -1;
    if (client_bits == 8) client_bits = 9; /* zlib's raw deflate has no 256-byte window */
    c->zd = calloc(1, sizeof *c->zd);
    c->zi = calloc(1, sizeof *c->zi);
    if (deflateInit2(c->zd, Z_BEST_SPEED, Z_DEFLATED, -client_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK ||
        inflateInit2(c->zi, -15) != Z_OK)
        die("zlib init failed");
    c->deflate = 1;
    return 0;
}

static void on_open(struct conn *c);
static void hub_ready(struct conn *c);

static char upgrade_failure[96]; /* why parse_upgrade said no, for the log */

/* Parses the 101 response once complete. Returns bytes consumed, 0 if incomplete, -1 failed. */
static int parse_upgrade(struct conn *c, uint8_t *buf, size_t len) {
    uint8_t *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end) {
        strcpy(upgrade_failure, "response headers over 8 KiB");
        return len > 8192 ? -1 : 0;
    }
    size_t hlen = (size_t)(end - buf) + 4;
    end[2] = 0; /* headers now a C string (ends after the last header's CRLF) */
    char *line = (char *)buf;
    snprintf(upgrade_failure, sizeof upgrade_failure, "%.*s", (int)strcspn(line, "\r\n"), line);
    if (strncmp(line, "HTTP/1.1 101", 12)) return -1;
    strcpy(upgrade_failure, "101 without the right Upgrade, Connection, Accept or extension");
    int up = 0, conn_hdr = 0, acc = 0;
    for (char *p = strstr(line, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
        char *h = p + 2, *eol = strstr(h, "\r\n"), *colon = memchr(h, ':', (size_t)(eol - h));
        if (!colon) return -1;
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t') v++;
        char save = *eol;
        *eol = 0;
        size_t nl = (size_t)(colon - h);
        if (nl == 7 && !strncasecmp(h, "upgrade", 7)) up = !strcasecmp(v, "websocket");
        else if (nl == 10 && !strncasecmp(h, "connection", 10)) conn_hdr = has_token(v, "upgrade");
        else if (nl == 20 && !strncasecmp(h, "sec-websocket-accept", 20)) acc = !strcmp(v, c->accept);
        else if (nl == 24 && !strncasecmp(h, "sec-websocket-extensions", 24)) {
            if (accept_deflate(c, v)) return -1;
        }
        *eol = save;
    }
    if (!up || !conn_hdr || !acc) return -1;
    return (int)hlen;
}

/* ---------------------------------------------------------------- frames in */

static int on_message(struct conn *c, int op, const uint8_t *p, size_t n);

/* Returns -1 when the connection was dropped. */
static int on_frame(struct conn *c, int b0, const uint8_t *p, size_t n) {
    int op = b0 & 0x0f, fin = b0 & B0_FIN, rsv1 = b0 & B0_RSV1;
    if (op >= 8) { /* RFC 6455 §5.5: control frames are final, short, never compressed */
        if (!fin || n > 125 || rsv1 || op > OP_PONG) goto bad;
        if (op == OP_PING) {
            put_frame(c, OP_PONG, 0, p, n);
        } else if (op == OP_CLOSE) {
            c->got_close = 1;
            if (!c->sent_close) {
                if (phase < P_DRAIN && c->role != R_CONNECT) {
                    cnt.e_closed++;
                    warnx("connection %d: server closed (%d)", (int)(c - conns),
                          n >= 2 ? p[0] << 8 | p[1] : 1005);
                }
                put_close(c, n >= 2 ? (uint16_t)(p[0] << 8 | p[1]) : 1000);
            } else if (c->role == R_CONNECT) {
                cnt.closes_clean++;
            }
            c->state = ST_CLOSING;
        }
        return 0;
    }
    if (rsv1 && (!c->deflate || op == OP_CONT)) goto bad;
    if (op == OP_CONT ? !c->in_msg : (c->in_msg || op > OP_BINARY)) goto bad;
    if (op != OP_CONT && fin) {
        return on_message(c, op | (rsv1 ? 0x40 : 0), p, n);
    }
    if (op != OP_CONT) {
        c->in_msg = 1, c->msg_op = (uint8_t)op, c->msg_rsv1 = (uint8_t)(rsv1 != 0);
        c->msglen = 0;
    }
    if (c->msglen + n > MAX_MESSAGE) goto bad;
    if (c->msglen + n > c->msgcap) c->msg = xrealloc(c->msg, c->msgcap = c->msglen + (uint32_t)n + 4096);
    memcpy(c->msg + c->msglen, p, n);
    c->msglen += (uint32_t)n;
    if (fin) {
        c->in_msg = 0;
        return on_message(c, c->msg_op | (c->msg_rsv1 ? 0x40 : 0), c->msg, c->msglen);
    }
    return 0;
bad:
    conn_fail(c, &cnt.e_protocol, "protocol error in a server frame");
    return -1;
}

/* Parses complete frames; returns bytes consumed or -1 if the connection was dropped. */
static ssize_t parse_frames(struct conn *c, const uint8_t *buf, size_t len) {
    size_t pos = 0;
    while (len - pos >= 2 && c->state >= ST_OPEN) {
        const uint8_t *f = buf + pos;
        if (f[1] & B1_MASK || f[0] & B0_RSV23) {
            conn_fail(c, &cnt.e_protocol, "masked or reserved-bit frame from the server");
            return -1;
        }
        uint64_t n = f[1] & 0x7f;
        size_t h = 2;
        if (n == 126) {
            if (len - pos < 4) break;
            n = (uint64_t)f[2] << 8 | f[3], h = 4;
        } else if (n == 127) {
            if (len - pos < 10) break;
            n = 0;
            for (int i = 0; i < 8; i++) n = n << 8 | f[2 + i];
            h = 10;
        }
        if (n > MAX_MESSAGE) {
            conn_fail(c, &cnt.e_protocol, "frame larger than 16 MiB");
            return -1;
        }
        if (len - pos < h + n) break;
        if (on_frame(c, f[0], f + h, (size_t)n) < 0) return -1;
        pos += h + (size_t)n;
    }
    return (ssize_t)pos;
}

static int starts(const uint8_t *p, size_t n, const char *prefix) {
    size_t k = strlen(prefix);
    return n >= k && !memcmp(p, prefix, k);
}

/*
 * Hub mode: answers the hub's own messages. Returns 1 with *p, *n set to the payload of a
 * publication (the JSON string "data" of a "pub", found by a scan, no JSON parser), or 0 for a
 * message that was handled here (ping, connected, subscribed, ack, join).
 */
static int hub_message(struct conn *c, const uint8_t **p, size_t *n) {
    const uint8_t *m = *p;
    size_t len = *n;
    if (starts(m, len, "{\"type\":\"pub\"")) {
        static const char key[] = "\"data\":\"";
        const uint8_t *d = memmem(m, len, key, sizeof key - 1);
        if (!d) goto bad;
        d += sizeof key - 1;
        const uint8_t *end = memchr(d, '"', (size_t)(m + len - d));
        if (!end) goto bad;
        *p = d, *n = (size_t)(end - d);
        return 1;
    }
    if (starts(m, len, "{\"type\":\"ping\"")) {
        put_text(c, "{\"type\":\"pong\"}");
        flush(c);
    } else if (starts(m, len, "{\"type\":\"connected\"")) {
        if (c->role == R_SUB) {
            put_text(c, "{\"type\":\"subscribe\",\"id\":2,\"channel\":\"" HUB_CHANNEL "\"}");
            flush(c);
        } else {
            hub_ready(c);
        }
    } else if (starts(m, len, "{\"type\":\"subscribed\"")) {
        hub_ready(c);
    } else if (starts(m, len, "{\"type\":\"error\"") || starts(m, len, "{\"type\":\"disconnect\"")) {
        cnt.e_protocol++;
        warnx("connection %d: the hub said %.*s", (int)(c - conns), (int)(len > 200 ? 200 : len), (const char *)m);
    }
    return 0; /* ack, join, leave and the rest: nothing to check */
bad:
    cnt.e_mismatch++;
    warnx("connection %d: a pub without a string data member", (int)(c - conns));
    return 0;
}

/* Checks one received data message against what was sent. Returns -1 if c was dropped. */
static int on_message(struct conn *c, int op_rsv, const uint8_t *p, size_t n) {
    int op = op_rsv & 0x0f;
    if (op_rsv & 0x40) { /* RFC 7692 §7.2.2: append 00 00 ff ff and inflate */
        size_t cap = zbuf_cap > 4096 ? zbuf_cap : 4096;
        zbuf_reserve(cap);
        static const uint8_t tail[4] = {0, 0, 0xff, 0xff};
        c->zi->next_out = zbuf, c->zi->avail_out = (uInt)zbuf_cap;
        for (int part = 0; part < 2; part++) {
            c->zi->next_in = (uint8_t *)(part ? tail : p), c->zi->avail_in = (uInt)(part ? 4 : n);
            while (c->zi->avail_in) {
                int r = inflate(c->zi, Z_SYNC_FLUSH);
                if (r != Z_OK && r != Z_BUF_ERROR) {
                    conn_fail(c, &cnt.e_protocol, "bad deflate data");
                    return -1;
                }
                if (c->zi->avail_out == 0) {
                    size_t used = zbuf_cap;
                    if (used >= MAX_MESSAGE) {
                        conn_fail(c, &cnt.e_protocol, "inflated message too large");
                        return -1;
                    }
                    zbuf_reserve(zbuf_cap * 2);
                    c->zi->next_out = zbuf + used, c->zi->avail_out = (uInt)(zbuf_cap - used);
                } else if (r == Z_BUF_ERROR) {
                    break;
                }
            }
        }
        n = zbuf_cap - c->zi->avail_out;
        p = zbuf;
        if (c->server_no_ctx) inflateReset(c->zi);
    }
    if (c->sent_close) return 0; /* late echoes after our close: not counted */
    if (opt.mode == M_HUB) {
        if (hub_message(c, &p, &n) <= 0) return 0; /* a control message of the hub, handled */
    }
    if (c->role == R_PUB || c->role == R_IDLE || c->role == R_CONNECT) {
        cnt.e_mismatch++;
        warnx("connection %d: unexpected data message", (int)(c - conns));
        return 0;
    }
    uint64_t seq, ts = 0;
    if (n != (size_t)opt.size || op != (opt.text || opt.mode == M_HUB ? OP_TEXT : OP_BINARY) || get_hex16(p, &seq) ||
        (hdr_len == 32 && get_hex16(p + 16, &ts)) ||
        memcmp(p + hdr_len, pattern + pattern_off(seq), n - (size_t)hdr_len)) {
        cnt.e_mismatch++;
        warnx("connection %d: received message differs from what was sent", (int)(c - conns));
        c->recv_seq++;
        return 0;
    }
    if (c->role == R_SUB) {
        if (seq < c->recv_seq) {
            cnt.e_mismatch++;
            warnx("connection %d: broadcast %llu arrived after %llu", (int)(c - conns),
                  (unsigned long long)seq, (unsigned long long)c->recv_seq);
            return 0;
        }
        cnt.gaps += seq - c->recv_seq;
        cnt.deliveries++;
    } else if (seq != c->recv_seq) {
        cnt.e_mismatch++;
        warnx("connection %d: echo %llu arrived when %llu was expected", (int)(c - conns),
              (unsigned long long)seq, (unsigned long long)c->recv_seq);
    }
    c->recv_seq = seq + 1;
    cnt.recv++;
    cnt.recv_bytes += n;
    if (hdr_len == 32 && phase == P_MEASURE) h_add(&lat, now - (int64_t)ts);
    if (opt.mode == M_ECHO && phase < P_DRAIN) send_test_message(c, 0);
    return 0;
}

/* ---------------------------------------------------------------- connection lifecycle */

static int open_conn(struct conn *c, int role) {
    memset(c, 0, sizeof *c);
    c->role = (uint8_t)role;
    c->t_start = now;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        c->fd = -1;
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (opt.sources > 1) { /* spread over 127.0.0.1..K: each source address has its own ports */
        c->src = (uint16_t)(next_src++ % (uint64_t)opt.sources);
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001u + c->src)};
        if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) {
            close(fd);
            c->fd = -1;
            return -1;
        }
    }
    c->fd = fd;
    c->state = ST_CONNECTING;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.ptr = c};
    c->out_armed = 1;
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    if (connect(fd, (struct sockaddr *)&server_addr, sizeof server_addr) < 0 && errno != EINPROGRESS) {
        conn_release(c);
        return -1;
    }
    return 0;
}

static void drive_tls(struct conn *c) {
    int r = SSL_do_handshake(c->ssl);
    if (r == 1) {
        send_upgrade(c);
        return;
    }
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ) set_out(c, 0);
    else if (e == SSL_ERROR_WANT_WRITE) set_out(c, 1);
    else {
        ERR_clear_error();
        conn_fail(c, &cnt.e_handshake, "TLS handshake failed");
    }
}

static void on_connected(struct conn *c) {
    int err = 0;
    socklen_t l = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
    if (err) {
        conn_fail(c, &cnt.e_connect, strerror(err));
        return;
    }
    if (opt.tls) {
        c->ssl = SSL_new(ssl_ctx);
        SSL_set_fd(c->ssl, c->fd);
        SSL_set_connect_state(c->ssl);
        c->state = ST_TLS;
        drive_tls(c);
    } else {
        send_upgrade(c);
    }
}

static void on_open(struct conn *c) {
    c->state = ST_OPEN;
    deflate_negotiated += c->deflate;
    if (c->role == R_CONNECT) {
        if (phase == P_MEASURE) {
            cnt.handshakes++;
            h_add(&lat, now - c->t_start);
        }
        put_close(c, 1000);
        return;
    }
    if (opt.mode == M_HUB) { /* ready once the hub has answered (hub_ready) */
        put_text(c, "{\"type\":\"connect\",\"id\":1,\"client\":{\"name\":\"loadgen\",\"version\":\"1\"}}");
        flush(c);
        return;
    }
    if (phase == P_SETUP) open_ok++, settled++, pending--;
}

static void hub_ready(struct conn *c) {
    if (c->hub_ready) return;
    c->hub_ready = 1;
    if (phase == P_SETUP) open_ok++, settled++, pending--;
}

static void rx_keep(struct conn *c, const uint8_t *p, size_t n) {
    if (c->rx && p >= c->rx && p < c->rx + c->rxcap) { /* already ours: slide to the front */
        memmove(c->rx, p, n);
    } else {
        if (n > c->rxcap) c->rx = xrealloc(c->rx, c->rxcap = (uint32_t)(n < 4096 ? 4096 : n * 2));
        memcpy(c->rx, p, n);
    }
    c->rxlen = (uint32_t)n;
}

static void on_readable(struct conn *c) {
    /* Bounded: other connections get their turn. TLS hands out one record per read, so keep
     * going while OpenSSL holds decrypted bytes (epoll cannot see those). */
    for (int round = 0; round < 64; round++) {
        ssize_t r = io_read(c, rbuf, sizeof rbuf);
        if (r == -1) break;
        if (r == 0 || r == -2) {
            if (c->state == ST_CLOSING || (c->role == R_CONNECT && c->got_close)) {
                conn_release(c);
            } else {
                int setup = c->state < ST_OPEN;
                conn_fail(c, phase >= P_DRAIN ? NULL : setup ? &cnt.e_handshake : &cnt.e_closed,
                          setup ? "closed during the handshake" : "connection closed by the server");
            }
            return;
        }
        uint8_t *buf = rbuf;
        size_t len = (size_t)r;
        if (c->rxlen) { /* join the partial frame kept from the last read */
            if (c->rxlen + len > c->rxcap) c->rx = xrealloc(c->rx, c->rxcap = (c->rxlen + (uint32_t)len) * 2);
            memcpy(c->rx + c->rxlen, rbuf, len);
            buf = c->rx, len += c->rxlen;
            c->rxlen = 0;
        }
        if (c->role == R_SUB || opt.mode == M_RATE) now = mono_ns(); /* latency needs a fresh clock */
        size_t pos = 0;
        if (c->state == ST_UPGRADE) {
            int h = parse_upgrade(c, buf, len);
            if (h < 0) {
                conn_fail(c, &cnt.e_handshake, upgrade_failure);
                return;
            }
            if (h == 0) {
                rx_keep(c, buf, len);
                continue;
            }
            pos = (size_t)h;
            on_open(c);
        }
        ssize_t used = parse_frames(c, buf + pos, len - pos);
        if (used < 0 || c->state == ST_FREE) return;
        pos += (size_t)used;
        if (pos < len) rx_keep(c, buf + pos, len - pos);
        if (c->wlen > MAX_WBUF) {
            conn_fail(c, &cnt.e_overflow, "send queue over 64 MiB");
            return;
        }
        if (c->wlen && flush(c) < 0) return;
        if (c->role == R_CONNECT && c->got_close && c->sent_close && !c->wlen) {
            /* RFC 6455 §7.1.1: a client MAY close TCP once it has sent and received a Close.
             * Closing now measures handshakes, not which side each server lets close first. */
            conn_release(c);
            return;
        }
        if ((size_t)r < sizeof rbuf && !(c->ssl && SSL_pending(c->ssl))) break;
        if (round >= 3 && !c->ssl) break;
    }
    if (c->role == R_IDLE && c->state == ST_OPEN && !c->rxlen && c->rx) { /* idle holds no buffers */
        free(c->rx), c->rx = NULL, c->rxcap = 0;
        if (!c->wlen) free(c->wb), c->wb = NULL, c->wcap = 0;
    }
}

static void on_event(struct conn *c, uint32_t ev) {
    if (c->state == ST_CONNECTING) {
        on_connected(c);
        return;
    }
    if (c->state == ST_TLS) {
        drive_tls(c);
        return;
    }
    if (ev & EPOLLOUT && flush(c) < 0) return;
    if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) on_readable(c);
}

/* ---------------------------------------------------------------- /proc of the server */

struct proc_sample {
    double cpu_s;
    long rss_kb;
};
static struct proc_sample proc_sample(void) {
    struct proc_sample s = {-1, -1};
    if (!opt.server_pid) return s;
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", opt.server_pid);
    FILE *f = fopen(path, "r");
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = 0;
        fclose(f);
        char *p = strrchr(buf, ')');
        unsigned long ut, st;
        /* after the command name: state ppid pgrp session tty tpgid flags minflt cminflt
         * majflt cmajflt utime stime */
        if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
            s.cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
    }
    snprintf(path, sizeof path, "/proc/%d/status", opt.server_pid);
    f = fopen(path, "r");
    if (f) {
        while (fgets(buf, sizeof buf, f))
            if (!strncmp(buf, "VmRSS:", 6)) s.rss_kb = atol(buf + 6);
        fclose(f);
    }
    return s;
}

static double self_sys_s; /* the kernel's share of the last self_cpu_s() */
static double self_cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    self_sys_s = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + self_sys_s;
}

/* ---------------------------------------------------------------- mode drivers */

static int64_t rate_next, rate_interval_ns;
static int rate_rr;
static struct conn *publisher;

static void start_load(void) {
    for (int i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        if (c->state != ST_OPEN) continue;
        if (opt.mode == M_ECHO) {
            for (int k = 0; k < opt.inflight; k++) send_test_message(c, 0);
            flush(c);
        }
    }
    rate_next = now;
}

static void send_due_rate(void) {
    int budget = 100000; /* bounded per loop turn */
    while (rate_next <= now && budget-- > 0) {
        struct conn *c = NULL;
        for (int tries = 0; tries < nconns && !c; tries++) {
            struct conn *k = &conns[rate_rr++ % nconns];
            if (k->state == ST_OPEN) c = k;
        }
        if (!c) return;
        send_test_message(c, rate_next); /* the intended time: latency includes any lag of ours */
        if (phase == P_MEASURE) h_add(&lag, now - rate_next);
        rate_next += rate_interval_ns;
        if (flush(c) < 0) continue;
    }
}

static int64_t progress_at;
static uint64_t progress_mark, written_off;

/* The publisher keeps at most inflight x subscribers deliveries outstanding. */
static void send_due_broadcast(void) {
    struct conn *c = publisher;
    if (!c || c->state != ST_OPEN) return;
    uint64_t subs = (uint64_t)(open_ok > 1 ? open_ok - 1 : 1);
    uint64_t resolved = cnt.deliveries + cnt.gaps + written_off;
    if (resolved != progress_mark || !progress_at) progress_mark = resolved, progress_at = now;
    uint64_t outstanding = 0;
    int sent = 0;
    for (int budget = 0; budget < 1024; budget++) { /* bounded per loop turn */
        uint64_t due = cnt.sent * subs;
        outstanding = due - (resolved < due ? resolved : due);
        if (outstanding >= (uint64_t)opt.inflight * subs || c->wlen - c->woff > (1u << 20)) break;
        send_test_message(c, mono_ns());
        sent++;
    }
    if (sent) {
        flush(c);
    } else if (now - progress_at > 2 * NS && phase < P_DRAIN) {
        /* Nothing delivered for 2 s with the window full (a subscriber gone, messages dropped):
         * an error; write the window off so that the run goes on. */
        cnt.e_timeout++;
        warnx("broadcast: no delivery for 2 s with %llu outstanding", (unsigned long long)outstanding);
        written_off += outstanding;
        progress_at = now;
    }
}

static void setup_more(void) {
    int want = target;
    while (nconns < want && pending < opt.max_pending) {
        struct conn *c = &conns[nconns++];
        pending++;
        if (open_conn(c, opt.mode == M_IDLE ? R_IDLE : FANOUT ? R_SUB : R_ECHO) < 0) {
            cnt.e_connect++;
            warnx("connection %d: cannot open a socket: %s", nconns - 1, strerror(errno));
            pending--, settled++;
            c->state = ST_FREE;
            c->fd = -1;
        }
    }
}

static void connect_refill(void) {
    for (int i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        if (c->state == ST_FREE && phase < P_DRAIN) {
            if (open_conn(c, R_CONNECT) < 0) {
                cnt.e_connect++;
                warnx("cannot open a socket: %s", strerror(errno));
            }
        } else if (c->state != ST_FREE && c->state < ST_OPEN && now - c->t_start > HANDSHAKE_TIMEOUT_NS) {
            conn_fail(c, &cnt.e_timeout, "handshake timed out");
        } else if (c->state == ST_CLOSING && now - c->t_close > NS) {
            conn_release(c); /* server kept TCP open after the close handshake: we close */
        }
    }
}

static void begin_drain(enum phase next) {
    phase = next;
    t_drain = now;
    for (int i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        if (c->state == ST_OPEN) {
            put_close(c, 1000);
            flush(c);
        } else if (c->state != ST_FREE && c->state < ST_OPEN) {
            conn_release(c);
        }
    }
}

static int all_closed(void) {
    for (int i = 0; i < nconns; i++)
        if (conns[i].state != ST_FREE) return 0;
    return 1;
}

/* ---------------------------------------------------------------- JSON */

static void json_out(double cpu_self, double sys_self, struct proc_sample s0, struct proc_sample s1,
                     struct proc_sample base, double measured) {
    struct counters d = cnt_at_end;
#define DELTA(f) (d.f - cnt_at_measure.f)
    uint64_t unit = opt.mode == M_CONNECT ? DELTA(handshakes) : FANOUT ? DELTA(deliveries)
                                                                                        : DELTA(recv);
    printf("{\"mode\":\"%s\",\"path\":\"%s\",\"tls\":%s,\"deflate\":%s,\"text\":%s,\"conns\":%d,"
           "\"inflight\":%d,\"size\":%d,\"sources\":%d,\"warmup_s\":%.3f,\"duration_s\":%.3f,",
           MODE_NAMES[opt.mode], opt.path, opt.tls ? "true" : "false", opt.deflate ? "true" : "false",
           opt.text ? "true" : "false", opt.conns, opt.inflight, opt.size, opt.sources, opt.warmup, measured);
    printf("\"open\":%d,\"setup_s\":%.3f,\"deflate_negotiated\":%d,", open_ok,
           t_setup_done ? (double)(t_setup_done - t_begin) / NS : -1.0, deflate_negotiated);
    switch (opt.mode) {
    case M_ECHO:
    case M_RATE:
        printf("\"messages\":%llu,\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,", (unsigned long long)DELTA(recv),
               (double)DELTA(recv) / measured, (double)DELTA(recv_bytes) / measured / 1e6);
        break;
    case M_CONNECT:
        printf("\"handshakes\":%llu,\"handshakes_per_s\":%.1f,\"closes_clean\":%llu,",
               (unsigned long long)DELTA(handshakes), (double)DELTA(handshakes) / measured,
               (unsigned long long)DELTA(closes_clean));
        break;
    case M_BROADCAST:
    case M_HUB:
        printf("\"published\":%llu,\"deliveries\":%llu,\"deliveries_per_s\":%.1f,\"gaps\":%llu,",
               (unsigned long long)DELTA(sent), (unsigned long long)DELTA(deliveries),
               (double)DELTA(deliveries) / measured, (unsigned long long)DELTA(gaps));
        break;
    case M_IDLE:
        printf("\"waves\":[");
        for (int i = 0; i < opt.waves; i++) {
            struct wave_result *w = &waves_out[i];
            double per = w->open && w->rss_open_kb >= 0
                             ? (double)(w->rss_open_kb - w->rss_base_kb) * 1024.0 / w->open
                             : -1.0;
            printf("%s{\"open\":%d,\"server_rss_base_kb\":%ld,\"server_rss_open_kb\":%ld,"
                   "\"per_conn_bytes\":%.0f}",
                   i ? "," : "", w->open, w->rss_base_kb, w->rss_open_kb, per);
        }
        printf("],\"server_rss_base_kb\":%ld,\"server_rss_open_kb\":%ld,\"server_rss_end_kb\":%ld,"
               "\"server_rss_per_conn_bytes\":%.0f,",
               base.rss_kb, s0.rss_kb, s1.rss_kb,
               open_ok && s0.rss_kb >= 0 ? (double)(s0.rss_kb - base.rss_kb) * 1024.0 / open_ok : -1.0);
        break;
    }
    if (opt.mode == M_RATE || FANOUT || opt.mode == M_CONNECT) {
        printf("\"latency_us\":{\"count\":%llu,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,"
               "\"p999\":%.1f,\"max\":%.1f},",
               (unsigned long long)lat.count, h_pct_us(&lat, 50), h_pct_us(&lat, 90), h_pct_us(&lat, 99),
               h_pct_us(&lat, 99.9), (double)lat.max / 1000.0);
    }
    if (opt.mode == M_RATE)
        printf("\"send_lag_us\":{\"p99\":%.1f,\"max\":%.1f},", h_pct_us(&lag, 99), (double)lag.max / 1000.0);
    printf("\"errors\":%llu,\"error_kinds\":{\"connect\":%llu,\"handshake\":%llu,\"protocol\":%llu,"
           "\"mismatch\":%llu,\"closed\":%llu,\"timeout\":%llu,\"overflow\":%llu},",
           (unsigned long long)errors_total(&cnt), (unsigned long long)cnt.e_connect,
           (unsigned long long)cnt.e_handshake, (unsigned long long)cnt.e_protocol,
           (unsigned long long)cnt.e_mismatch, (unsigned long long)cnt.e_closed,
           (unsigned long long)cnt.e_timeout, (unsigned long long)cnt.e_overflow);
    printf("\"loadgen_syscalls\":{\"reads\":%llu,\"writes\":%llu,\"waits\":%llu},",
           (unsigned long long)DELTA(reads), (unsigned long long)DELTA(writes),
           (unsigned long long)DELTA(waits));
    printf("\"loadgen_cpu_s\":%.3f,\"loadgen_sys_s\":%.3f,\"loadgen_cpu_util\":%.3f,"
           "\"loadgen_cpu_ns_per_unit\":%.0f",
           cpu_self, sys_self, cpu_self / measured, unit ? cpu_self * 1e9 / (double)unit : -1.0);
    if (opt.server_pid && s0.cpu_s >= 0 && s1.cpu_s >= 0) {
        double sc = s1.cpu_s - s0.cpu_s;
        printf(",\"server_pid_cpu_s\":%.3f,\"server_cpu_util\":%.3f,\"server_cpu_ns_per_unit\":%.0f", sc,
               sc / measured, unit ? sc * 1e9 / (double)unit : -1.0);
    }
    printf("}\n");
    fflush(stdout);
#undef DELTA
}

/* ---------------------------------------------------------------- selftest */

/* `loadgen selftest`: the pieces a benchmark silently depends on, checked without a server.
 * Frames are fed through a socketpair one byte at a time, so every split point is parsed. */
static void make_pattern(void);
static int st_failures;
static void check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "selftest: FAIL %s\n", what);
        st_failures++;
    }
}

static void hex_of(const uint8_t *d, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) out[2 * i] = HEX[d[i] >> 4], out[2 * i + 1] = HEX[d[i] & 15];
    out[2 * n] = 0;
}

static int sha1_is(const char *in, const char *want_hex) {
    uint8_t d[20];
    char h[41];
    sha1((const uint8_t *)in, strlen(in), d);
    hex_of(d, 20, h);
    return !strcmp(h, want_hex);
}

/* Appends one unmasked server frame. */
static size_t server_frame(uint8_t *out, int b0, const uint8_t *p, size_t n) {
    size_t h = 2;
    out[0] = (uint8_t)b0;
    if (n < 126) out[1] = (uint8_t)n;
    else out[1] = 126, out[2] = (uint8_t)(n >> 8), out[3] = (uint8_t)n, h = 4;
    memcpy(out + h, p, n);
    return h + n;
}

/* A connection in OPEN state on one end of a socketpair; *peer is the other end. */
static struct conn *st_conn(int *peer) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv)) die("socketpair: %s", strerror(errno));
    struct conn *c = &conns[0];
    if (c->state != ST_FREE) conn_release(c);
    memset(c, 0, sizeof *c);
    c->fd = sv[0], c->state = ST_OPEN, c->role = R_ECHO;
    *peer = sv[1];
    return c;
}

static void feed_bytewise(struct conn *c, int peer, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n && c->state != ST_FREE; i++) {
        if (write(peer, p + i, 1) != 1) die("selftest write: %s", strerror(errno));
        on_readable(c);
    }
}

/* Reads one client frame from peer: must be masked; returns its opcode byte, payload unmasked. */
static int client_frame(int peer, uint8_t *payload, size_t *n) {
    uint8_t h[14];
    if (read(peer, h, 2) != 2 || !(h[1] & B1_MASK)) return -1;
    size_t len = h[1] & 0x7f;
    if (len == 126) {
        if (read(peer, h + 2, 2) != 2) return -1;
        len = (size_t)h[2] << 8 | h[3];
    } else if (len == 127) {
        return -1;
    }
    uint8_t key[4];
    if (read(peer, key, 4) != 4 || (len && read(peer, payload, len) != (ssize_t)len)) return -1;
    for (size_t i = 0; i < len; i++) payload[i] ^= key[i & 3];
    *n = len;
    return h[0];
}

static int expected_payload(uint64_t seq, const uint8_t *p, size_t n) {
    uint64_t got;
    return n == (size_t)opt.size && !get_hex16(p, &got) && got == seq &&
           !memcmp(p + hdr_len, pattern + pattern_off(seq), n - (size_t)hdr_len);
}

static int selftest(void) {
    opt.size = 32, hdr_len = 16, opt.mode = M_ECHO;
    rng_state = 42;
    make_pattern();
    conns = calloc(1, sizeof *conns);
    conns[0].fd = -1;
    epfd = epoll_create1(EPOLL_CLOEXEC);
    phase = P_MEASURE;
    quiet = 1;

    /* SHA-1 (FIPS 180 examples) and the accept key of RFC 6455 §1.3 */
    check(sha1_is("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"), "SHA-1 of abc");
    check(sha1_is("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"), "SHA-1 of the empty string");
    check(sha1_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                  "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
          "SHA-1 of the two-block example");
    uint8_t d[20];
    char b[64];
    const char *cat = "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    sha1((const uint8_t *)cat, strlen(cat), d);
    base64(d, 20, b);
    check(!strcmp(b, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "Sec-WebSocket-Accept of RFC 6455 section 1.3");
    base64((const uint8_t *)"fo", 2, b);
    check(!strcmp(b, "Zm8="), "base64 padding");

    /* hex header round trip */
    uint8_t hx[16];
    uint64_t v;
    put_hex16(hx, 0xfedcba9876543210ULL);
    check(!get_hex16(hx, &v) && v == 0xfedcba9876543210ULL, "hex round trip");

    /* histogram: every value lands in a bucket whose upper bound is >= it and within 1/64 */
    int prev = -1, hist_ok = 1;
    for (uint64_t x = 0; x < (1ULL << 40); x = x < 4096 ? x + 1 : x + x / 97) {
        int i = h_index(x);
        uint64_t u = h_upper(i);
        if (i < prev || u < x || (double)(u - x) > (double)x / 64.0 + 1 || h_index(u) != i) hist_ok = 0;
        prev = i;
    }
    check(hist_ok, "histogram buckets (monotone, upper bound within 1/64)");

    /* masking: equals the byte-wise definition, and twice is identity */
    uint8_t src[40] = {0}, m1[40], m2[40];
    int mask_ok = 1;
    for (size_t n = 0; n <= sizeof src; n++) {
        for (size_t i = 0; i < n; i++) src[i] = (uint8_t)rng64();
        uint32_t key = (uint32_t)rng64();
        mask_copy(m1, src, n, key);
        for (size_t i = 0; i < n; i++)
            if (m1[i] != (src[i] ^ ((const uint8_t *)&key)[i % 4])) mask_ok = 0;
        mask_copy(m2, m1, n, key);
        if (n && memcmp(m2, src, n)) mask_ok = 0;
    }
    check(mask_ok, "masking");

    /* frames in: a fragmented echo with a ping between its fragments, then a whole one */
    int peer;
    struct conn *c = st_conn(&peer);
    uint8_t msg0[32], msg1[32], wire[256], pl[256];
    put_hex16(msg0, 0), memcpy(msg0 + 16, pattern + pattern_off(0), 16);
    put_hex16(msg1, 1), memcpy(msg1 + 16, pattern + pattern_off(1), 16);
    size_t w = 0;
    w += server_frame(wire + w, OP_BINARY, msg0, 10);
    w += server_frame(wire + w, B0_FIN | OP_PING, (const uint8_t *)"hi", 2);
    w += server_frame(wire + w, B0_FIN | OP_CONT, msg0 + 10, 22);
    w += server_frame(wire + w, B0_FIN | OP_BINARY, msg1, 32);
    memset(&cnt, 0, sizeof cnt);
    feed_bytewise(c, peer, wire, w);
    check(cnt.recv == 2 && errors_total(&cnt) == 0, "fragmented echo and ping, fed byte by byte");
    size_t n;
    int op = client_frame(peer, pl, &n);
    check(op == (B0_FIN | OP_PONG) && n == 2 && !memcmp(pl, "hi", 2), "pong echoes the ping, masked");
    op = client_frame(peer, pl, &n);
    check(op == (B0_FIN | OP_BINARY) && expected_payload(0, pl, n), "next message after an echo, masked");
    op = client_frame(peer, pl, &n);
    check(op == (B0_FIN | OP_BINARY) && expected_payload(1, pl, n), "second next message");
    close(peer);

    /* a changed byte is a mismatch, not a success */
    c = st_conn(&peer);
    memset(&cnt, 0, sizeof cnt);
    msg0[20] ^= 1;
    w = server_frame(wire, B0_FIN | OP_BINARY, msg0, 32);
    msg0[20] ^= 1;
    feed_bytewise(c, peer, wire, w);
    check(cnt.e_mismatch == 1 && cnt.recv == 0, "a changed payload byte counts as a mismatch");
    close(peer);

    /* protocol violations by the server each drop the connection with a protocol error */
    static const uint8_t bad[][4] = {
        {B0_FIN | OP_BINARY, B1_MASK | 0, 0, 0}, /* masked server frame (RFC 6455 5.1) */
        {B0_FIN | 0x20 | OP_BINARY, 0, 0, 0},    /* RSV2 without an extension (5.2) */
        {B0_FIN | OP_CONT, 0, 0, 0},             /* continuation with nothing to continue (5.4) */
        {OP_PING, 0, 0, 0},                      /* fragmented control frame (5.5) */
        {B0_FIN | 3, 0, 0, 0},                   /* reserved opcode (5.2) */
        {B0_FIN | B0_RSV1 | OP_BINARY, 0, 0, 0}, /* RSV1 without permessage-deflate (RFC 7692) */
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        c = st_conn(&peer);
        memset(&cnt, 0, sizeof cnt);
        feed_bytewise(c, peer, bad[k], bad[k][1] & B1_MASK ? 4 : 2);
        char what[64];
        snprintf(what, sizeof what, "protocol violation %zu is refused", k + 1);
        check(cnt.e_protocol == 1 && c->state == ST_FREE, what);
        close(peer);
    }

    /* permessage-deflate: a compressed echo is inflated and checked; what we send inflates back */
    opt.deflate = 1;
    c = st_conn(&peer);
    check(!accept_deflate(c, "permessage-deflate; server_no_context_takeover"), "deflate response accepted");
    z_stream zs = {0}, zi = {0};
    deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = msg0, zs.avail_in = 32, zs.next_out = pl, zs.avail_out = sizeof pl;
    deflate(&zs, Z_SYNC_FLUSH);
    size_t zn = sizeof pl - zs.avail_out - 4;
    deflateEnd(&zs);
    w = server_frame(wire, B0_FIN | B0_RSV1 | OP_BINARY, pl, zn);
    memset(&cnt, 0, sizeof cnt);
    feed_bytewise(c, peer, wire, w);
    check(cnt.recv == 1 && errors_total(&cnt) == 0, "compressed echo inflated and checked");
    op = client_frame(peer, pl, &n);
    uint8_t infl[64];
    static const uint8_t tail[4] = {0, 0, 0xff, 0xff};
    memcpy(pl + n, tail, 4);
    inflateInit2(&zi, -15);
    zi.next_in = pl, zi.avail_in = (uInt)n + 4, zi.next_out = infl, zi.avail_out = sizeof infl;
    inflate(&zi, Z_SYNC_FLUSH);
    size_t in_n = sizeof infl - zi.avail_out;
    inflateEnd(&zi);
    check(op == (B0_FIN | B0_RSV1 | OP_BINARY) && expected_payload(0, infl, in_n),
          "our compressed message inflates to the test message");
    close(peer);
    conn_release(&conns[0]);

    fprintf(stderr, "selftest: %s\n", st_failures ? "FAILED" : "ok");
    return st_failures ? 1 : 0;
}

/* ---------------------------------------------------------------- main */

static void usage(void) {
    fputs("usage: loadgen MODE [options]   |   loadgen selftest\n"
          "  MODE: echo | rate | idle | connect | broadcast | hub\n"
          "  --host A          server address, loopback only (127.0.0.1)\n"
          "  --port P          server port (8080)\n"
          "  --path /p         request path (/echo; /broadcast for broadcast; /hub for hub)\n"
          "  --conns C         connections (echo, rate, idle); parallel handshakes (connect);\n"
          "                    subscribers (broadcast, hub: one channel of the Parley hub) (100)\n"
          "  --inflight K      messages in flight per connection (echo), per subscriber (broadcast) (16)\n"
          "  --size S          message size in bytes (32; >= 16, >= 32 for rate and broadcast)\n"
          "  --rate R          total messages per second (rate) (10000)\n"
          "  --warmup W        seconds before measuring (2)\n"
          "  --duration D      seconds measured (5)\n"
          "  --sources K       spread source addresses over 127.0.0.1..127.0.0.K (1)\n"
          "  --max-pending N   handshakes in progress at once while opening (256)\n"
          "  --setup-timeout T seconds allowed to open all connections (60)\n"
          "  --deflate         offer permessage-deflate\n"
          "  --tls             wss (no certificate verification)\n"
          "  --text            text frames instead of binary\n"
          "  --server-pid PID  sample the server's CPU and resident memory from /proc\n"
          "  --waves N         idle: open, close and open again N times; the last wave counts (1)\n",
          stderr);
    exit(2);
}

static void parse_args(int argc, char **argv) {
    if (argc < 2) usage();
    int m = -1;
    for (int i = 0; i < (int)(sizeof MODE_NAMES / sizeof *MODE_NAMES); i++)
        if (!strcmp(argv[1], MODE_NAMES[i])) m = i;
    if (m < 0) usage();
    opt.mode = (enum mode)m;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name) (!strcmp(a, name) && (v || (die("%s needs a value", name), 0)) && ++i)
        if (ARG("--host")) opt.host = v;
        else if (ARG("--port")) opt.port = atoi(v);
        else if (ARG("--path")) opt.path = v;
        else if (ARG("--conns")) opt.conns = atoi(v);
        else if (ARG("--inflight")) opt.inflight = atoi(v);
        else if (ARG("--size")) opt.size = atoi(v);
        else if (ARG("--rate")) opt.rate = atof(v);
        else if (ARG("--warmup")) opt.warmup = atof(v);
        else if (ARG("--duration")) opt.duration = atof(v);
        else if (ARG("--sources")) opt.sources = atoi(v);
        else if (ARG("--max-pending")) opt.max_pending = atoi(v);
        else if (ARG("--setup-timeout")) opt.setup_timeout = atof(v);
        else if (ARG("--server-pid")) opt.server_pid = atoi(v);
        else if (ARG("--waves")) opt.waves = atoi(v);
        else if (!strcmp(a, "--deflate")) opt.deflate = 1;
        else if (!strcmp(a, "--tls")) opt.tls = 1;
        else if (!strcmp(a, "--text")) opt.text = 1;
        else usage();
#undef ARG
    }
    if (!opt.path) opt.path = opt.mode == M_BROADCAST ? "/broadcast" : opt.mode == M_HUB ? "/hub" : "/echo";
    hdr_len = opt.mode == M_RATE || FANOUT ? 32 : 16;
    if (opt.size < hdr_len || opt.size > (int)MAX_MESSAGE)
        die("--size must be in %d..%u", hdr_len, MAX_MESSAGE);
    if (opt.conns < 1 || opt.conns > 1000000) die("--conns must be in 1..1000000");
    if (opt.inflight < 1 || opt.inflight > 4096) die("--inflight must be in 1..4096");
    if (opt.sources < 1 || opt.sources > 254) die("--sources must be in 1..254");
    if (opt.rate <= 0 || opt.rate > 1e7) die("--rate must be in (0, 1e7]");
    if (opt.warmup < 0 || opt.warmup > 600 || opt.duration <= 0 || opt.duration > 600)
        die("--warmup and --duration must be within 0..600 s");
    if (opt.max_pending < 1) opt.max_pending = 1;
    if (opt.waves < 1 || opt.waves > 8 || (opt.waves > 1 && opt.mode != M_IDLE))
        die("--waves must be in 1..8, and only with idle");
    if (opt.port < 1 || opt.port > 65535) die("--port must be in 1..65535");
    if (inet_pton(AF_INET, opt.host, &server_addr.sin_addr) != 1 ||
        (ntohl(server_addr.sin_addr.s_addr) >> 24) != 127)
        die("--host must be an IPv4 loopback address (127.x.x.x), not %s", opt.host);
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = htons((uint16_t)opt.port);
}

static void make_pattern(void) {
    static const char *const words[] = {"{\"user\":", "\"alice\",", "\"bob\",", "\"text\":", "\"hello ",
                                        "world\"", ",\"n\":", "42", "1337", "} ", "channel ", "presence ",
                                        "message ", "delivered ", "the ", "quick ", "brown ", "fox ",
                                        "jumps ", "over ", "lazy ", "dog ", "parley ", "socket "};
    size_t n = (size_t)opt.size + 512;
    pattern = xrealloc(NULL, n);
    uint64_t saved = rng_state;
    rng_state = 0x5041524C4559ULL; /* fixed: every server gets the same bytes */
    for (size_t i = 0; i < n;) {
        const char *w = words[rng64() % (sizeof words / sizeof *words)];
        for (; *w && i < n; w++) pattern[i++] = opt.mode == M_HUB && *w == '"' ? '\'' : (uint8_t)*w; /* a JSON string in hub mode */
    }
    rng_state = saved;
    scratch_cap = (size_t)opt.size + 128; /* hub mode wraps the payload in a publish command */
    scratch = xrealloc(NULL, scratch_cap);
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    if (argc == 2 && !strcmp(argv[1], "selftest")) return selftest();
    parse_args(argc, argv);
    if (getrandom(&rng_state, sizeof rng_state, 0) != sizeof rng_state) die("getrandom failed");
    make_pattern();
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_TIMERSLACK, 1UL); /* rate mode sleeps to the microsecond */

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    int slots = FANOUT ? opt.conns + 1 : opt.conns;
    if (opt.mode != M_CONNECT && (rlim_t)slots + 32 > rl.rlim_cur)
        die("%d connections need more file descriptors than the limit of %llu", slots,
            (unsigned long long)rl.rlim_cur);

    if (opt.tls) {
        ssl_ctx = SSL_CTX_new(TLS_client_method());
        if (!ssl_ctx) die("SSL_CTX_new failed");
        SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_NONE, NULL);
        SSL_CTX_set_mode(ssl_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    }
    conns = calloc((size_t)slots, sizeof *conns);
    if (!conns) die("out of memory");
    for (int i = 0; i < slots; i++) conns[i].fd = -1;
    epfd = epoll_create1(EPOLL_CLOEXEC);
    rate_interval_ns = (int64_t)(1e9 / opt.rate);
    if (rate_interval_ns < 1) rate_interval_ns = 1;

    /* Backstop: whatever happens, the process ends. */
    alarm((unsigned)((opt.setup_timeout * 2 + opt.warmup) * opt.waves + opt.duration + 30));

    now = t_begin = mono_ns();
    struct proc_sample base = proc_sample(), s0 = base, s1 = base;
    double cpu0 = 0, cpu1 = 0, sys0 = 0, sys1 = 0;
    int measured_window = 0;
    target = opt.conns;
    if (opt.mode == M_CONNECT) {
        nconns = opt.conns;
        phase = P_WARMUP;
        t_setup_done = now;
        t_measure = now + (int64_t)(opt.warmup * NS);
    }
    struct epoll_event evs[1024];
    while (phase != P_DONE) {
        now = mono_ns();
        if (phase == P_SETUP) {
            if (settled >= target && FANOUT && !publisher && open_ok) {
                publisher = &conns[nconns++];
                pending++;
                if (open_conn(publisher, R_PUB) < 0) die("cannot open the publisher's socket");
                target++;
            }
            if (settled >= target || now - t_begin > (int64_t)(opt.setup_timeout * NS)) {
                if (settled < target) {
                    cnt.e_timeout += (uint64_t)(target - settled);
                    warnx("%d of %d connections not open after %.0f s", target - open_ok, target,
                          opt.setup_timeout);
                }
                t_setup_done = now;
                fprintf(stderr, "loadgen: %d of %d connections open in %.2f s\n", open_ok, target,
                        (double)(now - t_begin) / NS);
                if (open_ok == 0) {
                    t_measure = t_end = now;
                    phase = P_DRAIN;
                    wave = opt.waves;
                    t_drain = now;
                } else {
                    phase = P_WARMUP;
                    t_measure = now + (int64_t)(opt.warmup * NS);
                    start_load();
                }
            } else {
                setup_more();
            }
        }
        if (phase == P_WARMUP && now >= t_measure && wave < opt.waves) {
            /* Idle, an earlier wave: note the memory, close everything, open again. The last
             * wave's figure is the one that counts: pages the JVM touched for the garbage of the
             * first handshakes are then already resident in its baseline. */
            struct proc_sample s = proc_sample();
            waves_out[wave - 1] = (struct wave_result){base.rss_kb, s.rss_kb, open_ok};
            fprintf(stderr, "loadgen: wave %d: %d connections open; closing them\n", wave, open_ok);
            begin_drain(P_REOPEN);
            t_settle = 0;
        }
        if (phase == P_REOPEN) {
            if (!t_settle && (all_closed() || now - t_drain > (int64_t)(opt.setup_timeout * NS))) {
                for (int i = 0; i < nconns; i++)
                    if (conns[i].state != ST_FREE) conn_release(&conns[i]);
                t_settle = now + (int64_t)(opt.warmup * NS);
            }
            if (t_settle && now >= t_settle) {
                base = proc_sample();
                wave++;
                nconns = open_ok = settled = pending = deflate_negotiated = 0;
                next_src = 0;
                phase = P_SETUP;
                t_begin = now;
                continue;
            }
        }
        if (phase == P_WARMUP && now >= t_measure) {
            if (opt.mode == M_IDLE) {
                struct proc_sample s = proc_sample();
                waves_out[wave - 1] = (struct wave_result){base.rss_kb, s.rss_kb, open_ok};
            }
            phase = P_MEASURE;
            t_measure = now;
            t_end = now + (int64_t)(opt.duration * NS);
            cnt_at_measure = cnt;
            cpu0 = self_cpu_s();
            sys0 = self_sys_s;
            s0 = proc_sample();
            /* After the resident-memory samples: the runner may now look into the server's heap
             * (which forces a collection) without disturbing the figure. */
            if (opt.mode == M_IDLE) fprintf(stderr, "loadgen: measuring with %d connections open\n", open_ok);
        }
        if (phase == P_MEASURE && now >= t_end) {
            cnt_at_end = cnt;
            measured_window = 1;
            cpu1 = self_cpu_s();
            sys1 = self_sys_s;
            s1 = proc_sample();
            t_end = now;
            if (opt.mode == M_IDLE) fprintf(stderr, "loadgen: held %d connections; closing\n", open_ok);
            begin_drain(P_DRAIN);
        }
        if (phase == P_DRAIN && (all_closed() || now - t_drain > CLOSE_GRACE_NS)) {
            phase = P_DONE;
            break;
        }
        if (opt.mode == M_RATE && (phase == P_WARMUP || phase == P_MEASURE)) send_due_rate();
        if (FANOUT && (phase == P_WARMUP || phase == P_MEASURE)) send_due_broadcast();
        if (opt.mode == M_CONNECT) connect_refill();

        /* Sleep until the next thing due: a rate tick, a phase change, or 10 ms. */
        int64_t wake = now + 10 * 1000000LL;
        int sending = phase == P_WARMUP || phase == P_MEASURE;
        if (opt.mode == M_RATE && sending && rate_next < wake) wake = rate_next;
        if (phase == P_WARMUP && t_measure < wake) wake = t_measure;
        if (phase == P_MEASURE && t_end < wake) wake = t_end;
        int64_t wait = wake - now;
        if (wait < 0) wait = 0;
        struct timespec ts = {.tv_sec = wait / NS, .tv_nsec = wait % NS};
        int n = epoll_pwait2(epfd, evs, 1024, &ts, NULL);
        cnt.waits++;
        if (n < 0 && errno != EINTR) die("epoll_pwait2: %s", strerror(errno));
        now = mono_ns();
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c->state != ST_FREE) on_event(c, evs[i].events);
        }
    }
    if (!t_end) t_end = now;
    double measured = (double)(t_end - t_measure) / NS;
    if (measured <= 0) measured = 1e-9;
    if (!measured_window) cnt_at_measure = cnt_at_end = cnt; /* never got to measure */
    /* errors after the window (during the close) are still errors: report the final count */
    json_out(cpu1 - cpu0, sys1 - sys0, s0, s1, base, measured);
    return errors_total(&cnt) ? 1 : 0;
}
