/* Load generator for scripts/bench/intake.sh's POST figures, compiled so that the client is
 * not the limit (the asyncio one it replaces topped out near 1,200 requests/s against the
 * bare route on this machine, below the 2,000/s target it was to measure).
 *
 * Sends each line of CORPUS exactly once as the JSON body of a POST to 127.0.0.1:PORT, over
 * CONNECTIONS keep-alive HTTP/1.1 connections (opened, and with --tls handshaken, before the
 * clock starts), one request in flight per connection. One thread, epoll. A corpus line is
 * the JSON body (posted to PATH) or `path<TAB>body`.
 *
 * Closed loop (default): every connection sends its next request as soon as its answer is
 * complete; latency is from the send to the complete answer. Shows throughput; its latency
 * is not what a room sees (a slow answer delays the next send, so slowness hides itself).
 *
 * Open loop (--rate R): request i is due at start + i/R whatever the answers do; it leaves on
 * the first idle connection, and its latency counts from when it was due, so time spent
 * waiting for a connection counts too (no coordinated omission). The client's own lateness
 * (send time minus due time) is reported, to show the client kept the schedule.
 *
 * --tls CAFILE: HTTPS (OpenSSL), the server's certificate verified against CAFILE for 127.0.0.1.
 *
 * Prints one JSON object, the shape intake.sh reads: statuses, wall seconds (first send to
 * last answer), accepted/s, latency percentiles in ms (also the p99 without the first
 * CONNECTIONS requests, which in the closed loop all leave at once), the send lag, and the
 * participant names answered with 201 (for counting rows in SQLite afterwards).
 *
 *   cc -O2 -o post-load scripts/bench/post-load.c -lssl -lcrypto
 *   post-load [--tls CAFILE] [--rate PER_SECOND] PORT PATH CORPUS CONNECTIONS
 *
 * Exit 2 on a usage or connection problem, or an answer it cannot frame (no Content-Length).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define READ_CAP (64 * 1024)
#define TIMER_EVENT UINT32_MAX

typedef struct { char *data; size_t len; } buf_t;

typedef struct {
    int fd;
    SSL *ssl;           /* NULL: plain TCP */
    long request;       /* index of the request in flight, -1 when idle */
    size_t sent;        /* bytes of it written so far */
    double started;     /* closed loop: when it was sent; open loop: when it was due */
    char *in;           /* answer bytes read so far */
    size_t in_len;
} conn_t;

static buf_t *requests;
static long n_requests, next_request, answered;
static double *latencies, *send_lags;
static int statuses[600];
static char **accepted;  /* participant name per request answered 201, NULL otherwise */
static double rate;      /* requests per second (open loop); 0: closed loop */
static double began;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) { fprintf(stderr, "post-load: %s: %s\n", what, strerror(errno)); exit(2); }

static void die_tls(const char *what) {
    fprintf(stderr, "post-load: %s: ", what);
    ERR_print_errors_fp(stderr);
    fprintf(stderr, "\n");
    exit(2);
}

static void load_corpus(const char *path, const char *default_target) {
    FILE *f = fopen(path, "r");
    if (!f) die(path);
    size_t cap = 1024;
    requests = malloc(cap * sizeof(buf_t));
    char *line = NULL; size_t lcap = 0; ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        if (len == 0) continue;
        line[len] = 0;
        const char *target = default_target, *body = line;
        char *tab = memchr(line, '\t', len);
        if (tab) { *tab = 0; target = line; body = tab + 1; }
        size_t body_len = len - (body - line);
        if ((size_t)n_requests == cap) requests = realloc(requests, (cap *= 2) * sizeof(buf_t));
        buf_t *r = &requests[n_requests++];
        r->data = malloc(body_len + strlen(target) + 256);
        r->len = sprintf(r->data, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                  "Content-Length: %zu\r\n\r\n", target, body_len);
        memcpy(r->data + r->len, body, body_len);
        r->len += body_len;
    }
    free(line);
    fclose(f);
}

/* Writes up to n bytes: how many were written, 0 when the socket would block, -1 on error. */
static ssize_t conn_write(conn_t *c, const char *p, size_t n) {
    if (!c->ssl) {
        ssize_t w = write(c->fd, p, n);
        return w < 0 && errno == EAGAIN ? 0 : w;
    }
    int w = SSL_write(c->ssl, p, (int)n);
    if (w > 0) return w;
    int e = SSL_get_error(c->ssl, w);
    return e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ ? 0 : -1;
}

/* Reads: bytes read, 0 when the server closed, -1 when nothing is there now, -2 on error. */
static ssize_t conn_read(conn_t *c, char *p, size_t n) {
    if (!c->ssl) {
        ssize_t r = read(c->fd, p, n);
        return r < 0 ? (errno == EAGAIN ? -1 : -2) : r;
    }
    int r = SSL_read(c->ssl, p, (int)n);
    if (r > 0) return r;
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return -1;
    return e == SSL_ERROR_ZERO_RETURN ? 0 : -2;
}

/* Writes what is left of the connection's request; returns -1 on error. */
static int pump(conn_t *c) {
    buf_t *r = &requests[c->request];
    while (c->sent < r->len) {
        ssize_t w = conn_write(c, r->data + c->sent, r->len - c->sent);
        if (w < 0) return -1;
        if (w == 0) return 0;
        c->sent += w;
    }
    return 0;
}

static double due(long i) { return began + i / rate; }

/* Sends the next request on an idle connection: in the closed loop always, in the open loop
 * only when it is due. Returns 1 if one was sent. */
static int start_next(conn_t *c, double t) {
    if (next_request >= n_requests || (rate > 0 && due(next_request) > t)) return 0;
    long i = next_request++;
    c->request = i;
    c->sent = 0;
    c->in_len = 0;
    c->started = rate > 0 ? due(i) : t;
    send_lags[i] = rate > 0 ? t - due(i) : 0;
    if (pump(c) < 0) die("write");
    return 1;
}

/* Open loop: hands every due request to an idle connection (a due request without one waits,
 * its clock running), then sets the timer for the next one. Connections take turns, as many
 * clients' would: each stays in use (a server closes one that sends nothing for a while). */
static void dispatch(conn_t *conns, int n_conns, int timer) {
    static int turn;
    double t = now();
    for (int k = 0; k < n_conns && next_request < n_requests && due(next_request) <= t; k++) {
        conn_t *c = &conns[turn];
        if (c->request < 0) { start_next(c, t); turn = (turn + 1) % n_conns; k = -1; }
        else turn = (turn + 1) % n_conns;
    }
    if (next_request >= n_requests) return;
    double at = due(next_request);
    /* Due, but every connection is busy: the next answer calls dispatch() again. */
    if (at <= t) return;
    struct itimerspec spec = { .it_value = { .tv_sec = (time_t)at, .tv_nsec = (long)((at - (time_t)at) * 1e9) } };
    if (timerfd_settime(timer, TFD_TIMER_ABSTIME, &spec, NULL) < 0) die("timerfd_settime");
}

/* A complete answer in c->in? Returns its length, 0 if more is needed. */
static size_t complete(conn_t *c, int *status, const char **body, size_t *body_len) {
    char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head = end - c->in + 4;
    long length = -1;
    for (char *p = c->in; p < end; ) {
        char *eol = memmem(p, end - p + 2, "\r\n", 2);
        if (!eol) break;
        if (eol - p > 15 && strncasecmp(p, "content-length:", 15) == 0) length = strtol(p + 15, NULL, 10);
        p = eol + 2;
    }
    if (length < 0) { fprintf(stderr, "post-load: an answer without Content-Length (cannot frame it)\n"); exit(2); }
    if (c->in_len < head + (size_t)length) return 0;
    *status = atoi(c->in + 9);  /* "HTTP/1.1 201 ..." */
    *body = c->in + head;
    *body_len = length;
    return head + length;
}

/* The value of "name" in a JSON answer (names are [a-z0-9.-]: no escapes to undo). */
static char *participant_of(const char *body, size_t len) {
    const char *key = "\"name\"", *end = body + len;
    const char *p = memmem(body, len, key, strlen(key));
    if (!p) return NULL;
    for (p += strlen(key); p < end && (*p == ' ' || *p == ':'); p++) {}
    if (p >= end || *p != '"') return NULL;
    p++;
    const char *q = memchr(p, '"', end - p);
    return q ? strndup(p, q - p) : NULL;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-th percentile of n sorted values. */
static double percentile(const double *sorted, long n, double p) {
    if (n == 0) return 0;
    long i = (long)(p / 100.0 * n);
    return sorted[i < n ? i : n - 1];
}

static SSL_CTX *tls_context(const char *ca) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx || SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) die_tls(ca);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    /* pump() writes the rest of a request from a moving pointer after a partial write. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return ctx;
}

int main(int argc, char **argv) {
    const char *ca = NULL;
    int a = 1, usage = 0;
    for (; a + 1 < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
        if (strcmp(argv[a], "--tls") == 0) ca = argv[a + 1];
        else if (strcmp(argv[a], "--rate") == 0 && (rate = atof(argv[a + 1])) > 0) {}
        else usage = 1;
    }
    if (usage || argc - a != 4) {
        fprintf(stderr, "usage: post-load [--tls CAFILE] [--rate PER_SECOND] PORT PATH CORPUS CONNECTIONS\n");
        return 2;
    }
    int port = atoi(argv[a]), n_conns = atoi(argv[a + 3]);
    load_corpus(argv[a + 2], argv[a + 1]);
    if (n_requests == 0 || n_conns < 1) { fprintf(stderr, "post-load: empty corpus or no connections\n"); return 2; }
    latencies = calloc(n_requests, sizeof(double));
    send_lags = calloc(n_requests, sizeof(double));
    accepted = calloc(n_requests, sizeof(char *));
    SSL_CTX *tls = ca ? tls_context(ca) : NULL;

    int ep = epoll_create1(0);
    conn_t *conns = calloc(n_conns, sizeof(conn_t));
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    for (int i = 0; i < n_conns; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conns[i] = (conn_t){ .fd = fd, .request = -1, .in = malloc(READ_CAP) };
        if (tls) {
            /* The handshake, blocking, before the clock starts; the certificate must name 127.0.0.1. */
            SSL *ssl = SSL_new(tls);
            if (!ssl || SSL_set_fd(ssl, fd) != 1 || X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1") != 1)
                die_tls("SSL_new");
            if (SSL_connect(ssl) != 1) die_tls("TLS handshake (is the server's certificate from CAFILE?)");
            conns[i].ssl = ssl;
        }
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u32 = i };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
        /* Non-blocking only after connect: the connections exist before the clock starts. */
        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl");
    }
    int timer = -1;
    if (rate > 0) {
        timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = TIMER_EVENT };
        if (timer < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, timer, &ev) < 0) die("timerfd");
    }

    began = now();
    if (rate > 0) dispatch(conns, n_conns, timer);
    else for (int i = 0; i < n_conns; i++) start_next(&conns[i], began);
    struct epoll_event events[256];
    while (answered < n_requests) {
        int n = epoll_wait(ep, events, 256, 30000);
        if (n < 0) { if (errno == EINTR) continue; die("epoll_wait"); }
        if (n == 0) { fprintf(stderr, "post-load: no answer for 30 s (%ld of %ld answered)\n", answered, n_requests); return 2; }
        for (int e = 0; e < n; e++) {
            if (events[e].data.u32 == TIMER_EVENT) {
                uint64_t expirations;
                if (read(timer, &expirations, sizeof expirations) < 0 && errno != EAGAIN) die("timerfd read");
                continue;
            }
            conn_t *c = &conns[events[e].data.u32];
            if (c->request < 0) continue;
            if ((events[e].events & EPOLLOUT) && pump(c) < 0) die("write");
            if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            for (;;) {
                if (c->in_len == READ_CAP) { fprintf(stderr, "post-load: answer larger than %d bytes\n", READ_CAP); return 2; }
                ssize_t r = conn_read(c, c->in + c->in_len, READ_CAP - c->in_len);
                if (r == -1) break;
                if (r <= 0) {
                    fprintf(stderr, "post-load: %s (request %ld, connection %u)\n",
                            r == 0 ? "the server closed a connection" : "a read failed", c->request, events[e].data.u32);
                    ERR_print_errors_fp(stderr);
                    return 2;
                }
                c->in_len += r;
                int status; const char *body; size_t body_len;
                size_t used = complete(c, &status, &body, &body_len);
                if (!used) continue;
                long i = c->request;
                double t = now();
                latencies[i] = t - c->started;
                if (status > 0 && status < 600) statuses[status]++;
                if (status == 201) accepted[i] = participant_of(body, body_len);
                answered++;
                c->request = -1;
                if (rate > 0) break;  /* dispatch() below hands out what is due */
                if (!start_next(c, t)) break;
            }
        }
        if (rate > 0) dispatch(conns, n_conns, timer);
    }
    double wall = now() - began;

    /* The first wave of the closed loop: every connection's first request leaves at the same
     * instant, so those n_conns requests queue behind one another; with 64 of 1,000 they alone
     * decide the p99. The p99 of the requests after them is reported too, for reading the figure. */
    long n_after = n_requests > n_conns ? n_requests - n_conns : 0;
    double *after = malloc((n_after ? n_after : 1) * sizeof(double));
    memcpy(after, latencies + (n_requests - n_after), n_after * sizeof(double));
    qsort(after, n_after, sizeof(double), compare);
    qsort(latencies, n_requests, sizeof(double), compare);
    qsort(send_lags, n_requests, sizeof(double), compare);
    printf("{\"requests\": %ld, \"mode\": \"%s\", \"rate_per_s\": %.1f, \"tls\": %s, \"statuses\": {",
           n_requests, rate > 0 ? "open" : "closed", rate, tls ? "true" : "false");
    const char *sep = "";
    for (int s = 0; s < 600; s++) if (statuses[s]) { printf("%s\"%d\": %d", sep, s, statuses[s]); sep = ", "; }
    printf("}, \"wall_s\": %.6f, \"accepted_per_s\": %.3f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
           "\"p99_after_first_wave_ms\": %.3f, \"send_lag_p99_ms\": %.3f, \"send_lag_max_ms\": %.3f, \"accepted\": [",
           wall, statuses[201] / wall, percentile(latencies, n_requests, 50) * 1000, percentile(latencies, n_requests, 90) * 1000,
           percentile(latencies, n_requests, 99) * 1000, latencies[n_requests - 1] * 1000, percentile(after, n_after, 99) * 1000,
           percentile(send_lags, n_requests, 99) * 1000, send_lags[n_requests - 1] * 1000);
    sep = "";
    for (long i = 0; i < n_requests; i++) if (accepted[i]) { printf("%s\"%s\"", sep, accepted[i]); sep = ", "; }
    printf("], \"client\": \"post-load.c\"}\n");
    return 0;
}
