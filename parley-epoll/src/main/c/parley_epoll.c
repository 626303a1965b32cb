/*
 * parley-epoll: the system calls behind dev.parley.epoll.Native (Linux).
 *
 * Every function returns what the system call returns, or -errno on failure, so that the Java
 * side decides what a failure means; none keeps state. Sockets are created non-blocking and
 * close-on-exec; writes use MSG_NOSIGNAL so that a peer gone away is an error (EPIPE), not a
 * signal.
 */
#define _GNU_SOURCE
#include <jni.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK 16384 /* stack buffer for heap arrays */

static jint fail(void) { return -errno; }

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_epollCreate(JNIEnv *env, jclass cls) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? fail() : fd;
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_eventFd(JNIEnv *env, jclass cls) {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return fd < 0 ? fail() : fd;
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_eventFdWrite(JNIEnv *env, jclass cls, jint fd) {
    uint64_t one = 1;
    return write(fd, &one, sizeof one) < 0 ? fail() : 0;
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_eventFdDrain(JNIEnv *env, jclass cls, jint fd) {
    uint64_t value;
    return read(fd, &value, sizeof value) < 0 ? fail() : 0;
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_epollCtl(
        JNIEnv *env, jclass cls, jint epfd, jint op, jint fd, jint events) {
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    event.events = (uint32_t) events;
    event.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &event) < 0 ? fail() : 0;
}

/*
 * Waits and writes each ready socket as two ints, (fd, events), into `out` (a direct buffer of at
 * least 8 * max bytes). Returns the count, 0 on timeout or signal, or -errno.
 */
JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_epollWait(
        JNIEnv *env, jclass cls, jint epfd, jobject out, jint max, jint timeoutMillis) {
    struct epoll_event events[256];
    jint *pairs = (*env)->GetDirectBufferAddress(env, out);
    if (pairs == NULL) {
        return -EINVAL;
    }
    if (max > 256) {
        max = 256;
    }
    int n = epoll_wait(epfd, events, max, timeoutMillis);
    if (n < 0) {
        return errno == EINTR ? 0 : fail();
    }
    for (int i = 0; i < n; i++) {
        pairs[2 * i] = events[i].data.fd;
        pairs[2 * i + 1] = (jint) events[i].events;
    }
    return n;
}

/* A listening TCP socket on addr (4 or 16 bytes) and port; returns its fd or -errno. */
JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_listen(
        JNIEnv *env, jclass cls, jbyteArray addr, jint port, jint backlog) {
    jsize len = (*env)->GetArrayLength(env, addr);
    struct sockaddr_storage ss;
    socklen_t sslen;
    memset(&ss, 0, sizeof ss);
    if (len == 4) {
        struct sockaddr_in *in = (struct sockaddr_in *) &ss;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, addr, 0, 4, (jbyte *) &in->sin_addr);
        sslen = sizeof *in;
    } else if (len == 16) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, addr, 0, 16, (jbyte *) &in6->sin6_addr);
        sslen = sizeof *in6;
    } else {
        return -EINVAL;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return fail();
    }
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0
            || bind(fd, (struct sockaddr *) &ss, sslen) < 0
            || listen(fd, backlog) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

/*
 * Writes a socket's address into `out` as ints: family (4 or 6), port, then the address's bytes
 * in 1 or 4 big-endian ints. local: getsockname, else getpeername. Returns 0 or -errno.
 */
static jint address_of(JNIEnv *env, struct sockaddr_storage *ss, jintArray out) {
    jint values[6] = {0};
    if (ss->ss_family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *) ss;
        values[0] = 4;
        values[1] = ntohs(in->sin_port);
        values[2] = (jint) ntohl(in->sin_addr.s_addr);
    } else if (ss->ss_family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) ss;
        values[0] = 6;
        values[1] = ntohs(in6->sin6_port);
        for (int i = 0; i < 4; i++) {
            uint32_t word;
            memcpy(&word, &in6->sin6_addr.s6_addr[4 * i], 4);
            values[2 + i] = (jint) ntohl(word);
        }
    } else {
        values[0] = 0;
    }
    (*env)->SetIntArrayRegion(env, out, 0, 6, values);
    return 0;
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_localAddress(JNIEnv *env, jclass cls, jint fd, jintArray out) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *) &ss, &len) < 0) {
        return fail();
    }
    return address_of(env, &ss, out);
}

/*
 * Accepts one connection (non-blocking, close-on-exec, TCP_NODELAY); its peer's address goes into
 * `peer` as for localAddress. Returns the fd, or -errno (-EAGAIN: none waiting).
 */
JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_accept(JNIEnv *env, jclass cls, jint listenFd, jintArray peer) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = accept4(listenFd, (struct sockaddr *) &ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        return fail();
    }
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on); /* best effort, as java.nio's */
    address_of(env, &ss, peer);
    return fd;
}

/* A read or send's result as the Java side takes it: the count, or -errno. */
static jint result(ssize_t n) { return n < 0 ? fail() : (jint) n; }

/*
 * Reads and sends retry when a signal interrupts them; on these non-blocking sockets that is rare,
 * but the JVM's own signals must not surface as I/O errors.
 */
#define RETRYING(call) ({ ssize_t n_; do { n_ = (call); } while (n_ < 0 && errno == EINTR); n_; })

/* Reads into a direct buffer at [position, position + length). 0: end of stream. */
JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_readDirect(
        JNIEnv *env, jclass cls, jint fd, jobject buffer, jint position, jint length) {
    char *base = (*env)->GetDirectBufferAddress(env, buffer);
    if (base == NULL) {
        return -EINVAL;
    }
    return result(RETRYING(read(fd, base + position, (size_t) length)));
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_writeDirect(
        JNIEnv *env, jclass cls, jint fd, jobject buffer, jint position, jint length) {
    char *base = (*env)->GetDirectBufferAddress(env, buffer);
    if (base == NULL) {
        return -EINVAL;
    }
    return result(RETRYING(send(fd, base + position, (size_t) length, MSG_NOSIGNAL)));
}

/* Reads into a byte array at [offset, offset + min(length, CHUNK)). 0: end of stream. */
JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_readArray(
        JNIEnv *env, jclass cls, jint fd, jbyteArray array, jint offset, jint length) {
    char chunk[CHUNK];
    ssize_t n = RETRYING(read(fd, chunk, length < CHUNK ? (size_t) length : CHUNK));
    if (n > 0) {
        (*env)->SetByteArrayRegion(env, array, offset, (jsize) n, (jbyte *) chunk);
    }
    return result(n);
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_writeArray(
        JNIEnv *env, jclass cls, jint fd, jbyteArray array, jint offset, jint length) {
    char chunk[CHUNK];
    size_t want = length < CHUNK ? (size_t) length : CHUNK;
    (*env)->GetByteArrayRegion(env, array, offset, (jsize) want, (jbyte *) chunk);
    return result(RETRYING(send(fd, chunk, want, MSG_NOSIGNAL)));
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_shutdownOutput(JNIEnv *env, jclass cls, jint fd) {
    return shutdown(fd, SHUT_WR) < 0 ? fail() : 0;
}

JNIEXPORT jint JNICALL Java_dev_parley_epoll_Native_close(JNIEnv *env, jclass cls, jint fd) {
    return close(fd) < 0 ? fail() : 0; /* not retried on EINTR: Linux has closed it anyway */
}

JNIEXPORT jstring JNICALL Java_dev_parley_epoll_Native_strerror(JNIEnv *env, jclass cls, jint error) {
    char text[128];
    const char *message = strerror_r(error, text, sizeof text); /* GNU: may return a static string */
    return (*env)->NewStringUTF(env, message);
}
