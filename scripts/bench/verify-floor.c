/* The floor for scripts/bench/verify.sh: N bare libssh2 connections
 * (connect + handshake + ed25519 auth + exec `true`), W threads in parallel.
 * Usage: verify-floor KEYFILE USER WIDTH PORT... (all on 127.0.0.1).
 * Prints "ok N fail M". Blocking libssh2, one session per thread at a time. */
#include <libssh2.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char *key; static size_t keylen; static const char *user;
static int *ports; static int nports; static int next_i = 0, ok = 0, bad = 0;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int one(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), rc = -1;
    struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(port);
    a.sin_addr.s_addr = inet_addr("127.0.0.1");
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { close(fd); return -1; }
    LIBSSH2_SESSION *s = libssh2_session_init();
    libssh2_session_set_timeout(s, 30000);
    if (libssh2_session_handshake(s, fd) == 0 &&
        libssh2_userauth_publickey_frommemory(s, user, strlen(user), NULL, 0, key, keylen, NULL) == 0) {
        LIBSSH2_CHANNEL *c = libssh2_channel_open_session(s);
        if (c) {
            if (libssh2_channel_exec(c, "true") == 0) {
                char buf[4096]; while (libssh2_channel_read(c, buf, sizeof buf) > 0) {}
                libssh2_channel_close(c); libssh2_channel_wait_closed(c);
                rc = libssh2_channel_get_exit_status(c);
            }
            libssh2_channel_free(c);
        }
    }
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
    if (argc < 5) { fprintf(stderr, "usage: %s KEYFILE USER WIDTH PORT...\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "r"); if (!f) { perror(argv[1]); return 2; }
    key = malloc(65536); keylen = fread(key, 1, 65535, f); fclose(f);
    user = argv[2]; int width = atoi(argv[3]);
    nports = argc - 4; ports = malloc(sizeof(int) * nports);
    for (int i = 0; i < nports; i++) ports[i] = atoi(argv[4 + i]);
    libssh2_init(0);
    pthread_t *t = malloc(sizeof(pthread_t) * width);
    for (int i = 0; i < width; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < width; i++) pthread_join(t[i], NULL);
    libssh2_exit();
    printf("ok %d fail %d\n", ok, bad);
    free(t); free(ports); free(key);
    return bad ? 1 : 0;
}
