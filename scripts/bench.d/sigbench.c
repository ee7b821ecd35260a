/* sigbench: signal forwarding round trips through an init.
 *
 *   sigbench DURATION_MS TIMEOUT_MS -- INIT [OPTIONS] SIGACK
 *
 * Runs the command (an init whose child is sigack) with stdout on a pipe,
 * waits for sigack's 'R', then repeatedly sends SIGUSR1 to the init and
 * waits for sigack's 'A' before sending the next one: 200 warm-up round
 * trips, then as many as fit in DURATION_MS. Prints
 * "OK ROUND_TRIPS NANOSECONDS INIT_CPU_NS" (the init's on-CPU time over
 * those round trips, from /proc/PID/schedstat, -1 if unreadable), or
 * "FAIL reason" when an ack does not come
 * within TIMEOUT_MS. Either way the init gets SIGTERM (forwarded to sigack,
 * which exits) and, if still there after 2 s, SIGKILL.
 *
 * Started under a real-time policy, it runs the init one priority lower
 * than itself, so that an init that spins cannot keep it from timing out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static pid_t child;

/* Nanoseconds the process has run on a CPU (schedstat's first field). */
static long long cpu_ns(pid_t pid) {
    char path[64];
    long long v = -1;
    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%lld", &v) != 1) v = -1;
        fclose(f);
    }
    return v;
}

static void finish(void) {
    int status;
    kill(child, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(child, &status, WNOHANG) == child) return;
        usleep(10000);
    }
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
}

/* Reads one byte within timeout_ms: the byte, or -1 on timeout/EOF. */
static int get(int fd, int timeout_ms) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    for (;;) {
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        char c;
        ssize_t k = read(fd, &c, 1);
        if (k < 0 && errno == EINTR) continue;
        return k == 1 ? (unsigned char)c : -1;
    }
}

int main(int argc, char **argv) {
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: sigbench DURATION_MS TIMEOUT_MS -- CMD...\n");
        return 2;
    }
    long long duration = atoll(argv[1]) * 1000000LL;
    int timeout = atoi(argv[2]);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) { perror("pipe"); return 2; }
    child = fork();
    if (child < 0) { perror("fork"); return 2; }
    if (child == 0) {
        int policy = sched_getscheduler(0);
        struct sched_param sp;
        if ((policy == SCHED_FIFO || policy == SCHED_RR) && sched_getparam(0, &sp) == 0 &&
            sp.sched_priority > 1) {
            sp.sched_priority--;
            sched_setscheduler(0, policy, &sp);
        }
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(p[1], 1);
        dup2(null, 2);
        execv(argv[4], &argv[4]);
        _exit(127);
    }
    close(p[1]);
    int c = get(p[0], 5000);
    if (c != 'R') {
        printf("FAIL child not ready (%s)\n", c < 0 ? "no output" : "unexpected output");
        finish();
        return 1;
    }
    long long n = 0, t0 = 0, dt = 0, c0 = -1;
    for (long long i = 0;; i++) {
        if (i == 200) {
            c0 = cpu_ns(child);
            t0 = now_ns();
        }
        if (kill(child, SIGUSR1) < 0) {
            printf("FAIL kill: %s after %lld round trips\n", strerror(errno), i);
            finish();
            return 1;
        }
        c = get(p[0], timeout);
        if (c != 'A') {
            printf("FAIL no ack within %d ms after %lld round trips\n", timeout, i);
            finish();
            return 1;
        }
        if (i >= 200) {
            n++;
            if ((n & 63) == 0 && (dt = now_ns() - t0) >= duration) break;
        }
    }
    long long c1 = cpu_ns(child);
    printf("OK %lld %lld %lld\n", n, dt, c0 < 0 || c1 < 0 ? -1LL : c1 - c0);
    fflush(stdout);
    finish();
    return 0;
}
