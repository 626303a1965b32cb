/*
 * What zlib's compression level costs and buys for permessage-deflate messages (RFC 7692), with
 * and without a kept context (context takeover), on two kinds of text:
 *
 *   pattern  the load generator's 4 KiB text messages: the same word pattern every time, shifted
 *            a little, after a 16-digit sequence number (so a kept context finds the previous
 *            message almost whole);
 *   chat     JSON chat events with fresh words drawn from a 2,000-word vocabulary (Zipf-like),
 *            user names, rooms and timestamps: keys repeat, values mostly do not.
 *
 * For each level 1..6: compressed size / original size, deflate and inflate time per message
 * (best of 5 passes over 4,000 messages, one thread, the machine's zlib), each message flushed
 * with Z_SYNC_FLUSH as permessage-deflate does. BENCHMARKS.md, "Deflate: the level".
 *
 *   gcc -O2 -o parley-bench/target/zlib-levels parley-bench/zlib/levels.c -lz
 *   parley-bench/target/zlib-levels pattern 4096
 *   parley-bench/target/zlib-levels chat 4096
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define MESSAGES 4000
#define PASSES 5

static uint64_t rng_state;
static uint64_t rng64(void) { /* splitmix64, fixed seed: every run sees the same text */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint8_t *msgs[MESSAGES];
static size_t lens[MESSAGES];

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    return p;
}

/* The load generator's text (parley-bench/loadgen/loadgen.c, make_pattern and the payload). */
static void pattern_messages(int size) {
    static const char *const words[] = {"{\"user\":", "\"alice\",", "\"bob\",", "\"text\":", "\"hello ",
                                        "world\"", ",\"n\":", "42", "1337", "} ", "channel ", "presence ",
                                        "message ", "delivered ", "the ", "quick ", "brown ", "fox ",
                                        "jumps ", "over ", "lazy ", "dog ", "parley ", "socket "};
    static const char hex[] = "0123456789abcdef";
    size_t n = (size_t)size + 512;
    uint8_t *pattern = xmalloc(n);
    rng_state = 0x5041524C4559ULL;
    for (size_t i = 0; i < n;) {
        const char *w = words[rng64() % (sizeof words / sizeof *words)];
        for (; *w && i < n; w++) pattern[i++] = (uint8_t)*w;
    }
    for (int s = 0; s < MESSAGES; s++) {
        msgs[s] = xmalloc((size_t)size);
        uint64_t v = (uint64_t)s;
        for (int i = 15; i >= 0; i--, v >>= 4) msgs[s][i] = (uint8_t)hex[v & 15];
        memcpy(msgs[s] + 16, pattern + ((uint32_t)s * 13 & 255), (size_t)size - 16);
        lens[s] = (size_t)size;
    }
}

static void chat_messages(int size) {
    static char vocab[2000][12];
    rng_state = 0x43484154ULL;
    for (int w = 0; w < 2000; w++) {
        int l = 2 + (int)(rng64() % 8);
        for (int i = 0; i < l; i++) vocab[w][i] = (char)('a' + rng64() % 26);
        vocab[w][l] = 0;
    }
    for (int s = 0; s < MESSAGES; s++) {
        size_t cap = (size_t)size + 512, o = 0;
        char *b = xmalloc(cap);
        b[o++] = '[';
        while (o < (size_t)size) {
            o += (size_t)snprintf(b + o, cap - o,
                                  "{\"type\":\"message\",\"channel\":\"room-%d\",\"user\":\"%s\",\"ts\":%llu,\"text\":\"",
                                  (int)(rng64() % 20), vocab[rng64() % 50],
                                  (unsigned long long)(1733580000000ULL + (uint64_t)s * 37 + o));
            int words = 3 + (int)(rng64() % 12);
            for (int k = 0; k < words; k++) {
                uint64_t r = rng64() % 2000;
                o += (size_t)snprintf(b + o, cap - o, "%s%s", k ? " " : "", vocab[r * r / 2000]);
            }
            o += (size_t)snprintf(b + o, cap - o, "\"},");
        }
        b[o - 1] = ']';
        msgs[s] = (uint8_t *)b;
        lens[s] = o;
    }
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "pattern") && strcmp(argv[1], "chat")) || atoi(argv[2]) < 64 ||
        atoi(argv[2]) > 65536) {
        fputs("usage: zlib-levels pattern|chat SIZE (64..65536)\n", stderr);
        return 2;
    }
    int size = atoi(argv[2]);
    if (!strcmp(argv[1], "pattern")) pattern_messages(size);
    else chat_messages(size);
    size_t slot = (size_t)size + 1024, in = 0;
    for (int s = 0; s < MESSAGES; s++) in += lens[s];
    uint8_t *out = xmalloc(MESSAGES * slot);
    uint8_t *plain = xmalloc(slot);
    size_t *clen = xmalloc(MESSAGES * sizeof *clen);
    printf("%s, %d bytes, zlib %s: context, level, compressed/original, deflate us/msg, inflate us/msg\n", argv[1],
           size, zlibVersion());
    for (int keep = 0; keep < 2; keep++) {
        for (int level = 1; level <= 6; level++) {
            double best_d = 1e9, best_i = 1e9;
            size_t total = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                z_stream zd = {0}, zi = {0};
                if (deflateInit2(&zd, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK ||
                    inflateInit2(&zi, -15) != Z_OK) {
                    fputs("zlib init failed\n", stderr);
                    return 1;
                }
                total = 0;
                double t0 = now();
                for (int s = 0; s < MESSAGES; s++) {
                    if (!keep) deflateReset(&zd);
                    zd.next_in = msgs[s], zd.avail_in = (uInt)lens[s];
                    zd.next_out = out + (size_t)s * slot, zd.avail_out = (uInt)slot;
                    if (deflate(&zd, Z_SYNC_FLUSH) != Z_OK || zd.avail_in) {
                        fputs("deflate failed\n", stderr);
                        return 1;
                    }
                    clen[s] = slot - zd.avail_out;
                    total += clen[s] - 4; /* RFC 7692 7.2.1: the 00 00 ff ff tail is not sent */
                }
                double t1 = now();
                for (int s = 0; s < MESSAGES; s++) {
                    if (!keep) inflateReset(&zi);
                    zi.next_in = out + (size_t)s * slot, zi.avail_in = (uInt)clen[s];
                    zi.next_out = plain, zi.avail_out = (uInt)slot;
                    int r = inflate(&zi, Z_SYNC_FLUSH);
                    if ((r != Z_OK && r != Z_BUF_ERROR) || slot - zi.avail_out != lens[s] ||
                        memcmp(plain, msgs[s], lens[s])) {
                        fputs("inflate gave other bytes\n", stderr);
                        return 1;
                    }
                }
                double t2 = now();
                deflateEnd(&zd);
                inflateEnd(&zi);
                if (t1 - t0 < best_d) best_d = t1 - t0;
                if (t2 - t1 < best_i) best_i = t2 - t1;
            }
            printf("%-5s %d  %.3f  %6.2f  %6.2f\n", keep ? "kept" : "none", level, (double)total / (double)in,
                   best_d / MESSAGES * 1e6, best_i / MESSAGES * 1e6);
        }
    }
    return 0;
}
