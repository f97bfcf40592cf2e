/* Load generator for scripts/bench/intake.sh's POST figure, compiled so that the client is
 * not the limit (the asyncio one it replaces topped out near 1,200 requests/s against the
 * bare route on this machine, below the 2,000/s target it was to measure).
 *
 * Sends each line of CORPUS exactly once as the JSON body of `POST PATH` to 127.0.0.1:PORT,
 * over CONNECTIONS keep-alive HTTP/1.1 connections (opened before the clock starts), one
 * request in flight per connection, the next one as soon as an answer is complete. One
 * thread, epoll. Prints one JSON object, the shape intake.sh reads: statuses, wall seconds
 * (first send to last answer), accepted/s, latency percentiles in ms (send to complete
 * answer, per request; also the p99 without the first CONNECTIONS requests, which all leave
 * at once), and the participant names answered with 201 (for counting rows in SQLite afterwards).
 *
 *   cc -O2 -o post-load scripts/bench/post-load.c
 *   post-load PORT PATH CORPUS CONNECTIONS
 *
 * Exit 2 on a usage or connection problem, or an answer it cannot frame (no Content-Length).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_CAP (64 * 1024)

typedef struct { char *data; size_t len; } buf_t;

typedef struct {
    int fd;
    long request;       /* index of the request in flight, -1 when idle */
    size_t sent;        /* bytes of it written so far */
    double started;
    char *in;           /* answer bytes read so far */
    size_t in_len;
} conn_t;

static buf_t *requests;
static long n_requests, next_request, answered;
static double *latencies;
static int statuses[600];
static char **accepted;  /* participant name per request answered 201, NULL otherwise */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) { fprintf(stderr, "post-load: %s: %s\n", what, strerror(errno)); exit(2); }

static void load_corpus(const char *path, const char *target) {
    FILE *f = fopen(path, "r");
    if (!f) die(path);
    size_t cap = 1024;
    requests = malloc(cap * sizeof(buf_t));
    char *line = NULL; size_t lcap = 0; ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        if (len == 0) continue;
        if ((size_t)n_requests == cap) requests = realloc(requests, (cap *= 2) * sizeof(buf_t));
        buf_t *r = &requests[n_requests++];
        r->data = malloc(len + strlen(target) + 256);
        r->len = sprintf(r->data, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                  "Content-Length: %zd\r\n\r\n", target, len);
        memcpy(r->data + r->len, line, len);
        r->len += len;
    }
    free(line);
    fclose(f);
}

/* Writes what is left of the connection's request; returns -1 on error. */
static int pump(conn_t *c) {
    buf_t *r = &requests[c->request];
    while (c->sent < r->len) {
        ssize_t w = write(c->fd, r->data + c->sent, r->len - c->sent);
        if (w < 0) return errno == EAGAIN ? 0 : -1;
        c->sent += w;
    }
    return 0;
}

static void start_next(conn_t *c) {
    if (next_request >= n_requests) { c->request = -1; return; }
    c->request = next_request++;
    c->sent = 0;
    c->in_len = 0;
    c->started = now();
    if (pump(c) < 0) die("write");
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

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: post-load PORT PATH CORPUS CONNECTIONS\n"); return 2; }
    int port = atoi(argv[1]), n_conns = atoi(argv[4]);
    load_corpus(argv[3], argv[2]);
    if (n_requests == 0 || n_conns < 1) { fprintf(stderr, "post-load: empty corpus or no connections\n"); return 2; }
    latencies = calloc(n_requests, sizeof(double));
    accepted = calloc(n_requests, sizeof(char *));

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
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u32 = i };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
        /* Non-blocking only after connect: the connections exist before the clock starts. */
        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl");
    }

    double began = now();
    for (int i = 0; i < n_conns; i++) start_next(&conns[i]);
    struct epoll_event events[256];
    while (answered < n_requests) {
        int n = epoll_wait(ep, events, 256, 30000);
        if (n < 0) { if (errno == EINTR) continue; die("epoll_wait"); }
        if (n == 0) { fprintf(stderr, "post-load: no answer for 30 s (%ld of %ld answered)\n", answered, n_requests); return 2; }
        for (int e = 0; e < n; e++) {
            conn_t *c = &conns[events[e].data.u32];
            if (c->request < 0) continue;
            if ((events[e].events & EPOLLOUT) && pump(c) < 0) die("write");
            if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            for (;;) {
                if (c->in_len == READ_CAP) { fprintf(stderr, "post-load: answer larger than %d bytes\n", READ_CAP); return 2; }
                ssize_t r = read(c->fd, c->in + c->in_len, READ_CAP - c->in_len);
                if (r < 0 && errno == EAGAIN) break;
                if (r <= 0) { fprintf(stderr, "post-load: the server closed a connection (request %ld)\n", c->request); return 2; }
                c->in_len += r;
                int status; const char *body; size_t body_len;
                size_t used = complete(c, &status, &body, &body_len);
                if (!used) continue;
                long i = c->request;
                latencies[i] = now() - c->started;
                if (status > 0 && status < 600) statuses[status]++;
                if (status == 201) accepted[i] = participant_of(body, body_len);
                answered++;
                start_next(c);
                if (c->request < 0) break;
            }
        }
    }
    double wall = now() - began;

    /* The first wave: every connection's first request leaves at the same instant, so those
     * n_conns requests queue behind one another; with 64 of 1,000 they alone decide the p99.
     * The p99 of the requests after them is reported too, for reading the figure. */
    long n_after = n_requests > n_conns ? n_requests - n_conns : 0;
    double *after = malloc((n_after ? n_after : 1) * sizeof(double));
    memcpy(after, latencies + (n_requests - n_after), n_after * sizeof(double));
    qsort(after, n_after, sizeof(double), compare);
    double p99_after = n_after ? after[(long)(0.99 * n_after) < n_after ? (long)(0.99 * n_after) : n_after - 1] * 1000 : 0;
    qsort(latencies, n_requests, sizeof(double), compare);
#define PCT(p) (latencies[(long)((p) / 100.0 * n_requests) < n_requests ? (long)((p) / 100.0 * n_requests) : n_requests - 1] * 1000)
    printf("{\"requests\": %ld, \"statuses\": {", n_requests);
    const char *sep = "";
    for (int s = 0; s < 600; s++) if (statuses[s]) { printf("%s\"%d\": %d", sep, s, statuses[s]); sep = ", "; }
    printf("}, \"wall_s\": %.6f, \"accepted_per_s\": %.3f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
           "\"p99_after_first_wave_ms\": %.3f, \"accepted\": [",
           wall, statuses[201] / wall, PCT(50), PCT(99), latencies[n_requests - 1] * 1000, p99_after);
    sep = "";
    for (long i = 0; i < n_requests; i++) if (accepted[i]) { printf("%s\"%s\"", sep, accepted[i]); sep = ", "; }
    printf("], \"client\": \"post-load.c\"}\n");
    return 0;
}
