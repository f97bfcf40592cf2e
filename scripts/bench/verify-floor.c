/* The floor for scripts/bench/verify.sh: N bare libssh2 sessions doing what
 * labctl's verifier does on the wire and nothing more: connect + handshake +
 * ed25519 auth, then the verifier's two remote commands (RemoteProbe's host and
 * cluster commands) on two channels of the one session at the same time, read
 * to EOF, closed (as SSHConnection.execConcurrently does), W threads in parallel.
 * The remote work is the same as labctl's, so the difference is client cost.
 * Usage: verify-floor KEYFILE USER WIDTH HOST_COMMAND CLUSTER_COMMAND PORT... (all on 127.0.0.1).
 * A host counts as ok when both channels exit 0 and the cluster command reached
 * its pods section. Prints "ok N fail M". */
#define _GNU_SOURCE /* memmem */
#include <libssh2.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char *key; static size_t keylen; static const char *user;
static const char *commands[2];
static int *ports; static int nports; static int next_i = 0, ok = 0, bad = 0;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int wait_socket(int fd, LIBSSH2_SESSION *s) {
    struct pollfd p = { .fd = fd, .events = 0 };
    int dir = libssh2_session_block_directions(s);
    if (dir & LIBSSH2_SESSION_BLOCK_INBOUND) p.events |= POLLIN;
    if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) p.events |= POLLOUT;
    return poll(&p, 1, 30000) > 0 ? 0 : -1;
}

/* Retries a non-blocking libssh2 call while it says EAGAIN. */
#define RETRY(fd, s, expr) ({ long _r; while ((_r = (long)(expr)) == LIBSSH2_ERROR_EAGAIN) { if (wait_socket(fd, s)) break; } _r; })

static int two_channels(int fd, LIBSSH2_SESSION *s) {
    LIBSSH2_CHANNEL *ch[2] = {0}; int rc = -1, finished[2] = {0, 0};
    char *out[2] = {0}; size_t outlen[2] = {0}, cap[2] = {0};
    char buf[32 * 1024];
    libssh2_session_set_blocking(s, 0);
    for (int i = 0; i < 2; i++) {
        while (!(ch[i] = libssh2_channel_open_session(s)) && libssh2_session_last_errno(s) == LIBSSH2_ERROR_EAGAIN)
            if (wait_socket(fd, s)) break;
        if (!ch[i]) goto done;
        if (RETRY(fd, s, libssh2_channel_process_startup(ch[i], "exec", 4, commands[i], strlen(commands[i]))) != 0) goto done;
    }
    while (!finished[0] || !finished[1]) {
        int progressed = 0;
        for (int i = 0; i < 2; i++) {
            if (finished[i]) continue;
            for (int stream = 0; stream < 2; stream++) {
                for (;;) {
                    ssize_t n = libssh2_channel_read_ex(ch[i], stream, buf, sizeof buf);
                    if (n > 0) {
                        progressed = 1;
                        if (stream == 0) { /* keep stdout, as the verifier does, to check it */
                            if (outlen[i] + n > cap[i]) { cap[i] = (outlen[i] + n) * 2; out[i] = realloc(out[i], cap[i]); }
                            memcpy(out[i] + outlen[i], buf, n); outlen[i] += n;
                        }
                        continue;
                    }
                    if (n == LIBSSH2_ERROR_EAGAIN || n == 0) break;
                    goto done;
                }
            }
            if (libssh2_channel_eof(ch[i]) == 1) { finished[i] = 1; progressed = 1; }
        }
        if (!progressed && (!finished[0] || !finished[1]) && wait_socket(fd, s)) goto done;
    }
    rc = 0;
    for (int i = 0; i < 2; i++) {
        RETRY(fd, s, libssh2_channel_close(ch[i]));
        RETRY(fd, s, libssh2_channel_wait_closed(ch[i]));
        if (libssh2_channel_get_exit_status(ch[i]) != 0) rc = -1;
    }
    if (!out[1] || !memmem(out[1], outlen[1], "@@labctl-section pods 0", 23)) rc = -1;
done:
    for (int i = 0; i < 2; i++) { if (ch[i]) libssh2_channel_free(ch[i]); free(out[i]); }
    return rc;
}

static int one(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), rc = -1;
    struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(port);
    a.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { close(fd); return -1; }
    LIBSSH2_SESSION *s = libssh2_session_init();
    libssh2_session_set_timeout(s, 30000);
    if (libssh2_session_handshake(s, fd) == 0 &&
        libssh2_userauth_publickey_frommemory(s, user, strlen(user), NULL, 0, key, keylen, NULL) == 0) {
        rc = two_channels(fd, s);
    }
    libssh2_session_set_blocking(s, 1);
    libssh2_session_disconnect(s, "bye"); libssh2_session_free(s); close(fd);
    return rc;
}

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&mu); int i = next_i++; pthread_mutex_unlock(&mu);
        if (i >= nports) return NULL;
        int r = one(ports[i]);
        pthread_mutex_lock(&mu); if (r == 0) ok++; else bad++; pthread_mutex_unlock(&mu);
    }
}

int main(int argc, char **argv) {
    if (argc < 7) { fprintf(stderr, "usage: %s KEYFILE USER WIDTH HOST_COMMAND CLUSTER_COMMAND PORT...\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "r"); if (!f) { perror(argv[1]); return 2; }
    key = malloc(65536); keylen = fread(key, 1, 65535, f); fclose(f);
    user = argv[2]; int width = atoi(argv[3]);
    commands[0] = argv[4]; commands[1] = argv[5];
    nports = argc - 6; ports = malloc(sizeof(int) * nports);
    for (int i = 0; i < nports; i++) ports[i] = atoi(argv[6 + i]);
    libssh2_init(0);
    pthread_t *t = malloc(sizeof(pthread_t) * width);
    for (int i = 0; i < width; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < width; i++) pthread_join(t[i], NULL);
    libssh2_exit();
    printf("ok %d fail %d\n", ok, bad);
    free(t); free(ports); free(key);
    return bad ? 1 : 0;
}
