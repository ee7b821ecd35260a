/* orphans: the child side of the orphan-reaping benchmark.
 *
 *   orphans N TIMEOUT_S
 *
 * Runs as the child of the init under test, the init being PID 1 of a fresh
 * PID namespace. Talks to the driver on stdin/stdout, one line each way:
 *   -> "R"           ready; the driver then stops the init (SIGSTOP from
 *                    the parent namespace) and answers
 *   <- "S"
 *   a process M forks N children that exit at once, sending their pids
 *   on a pipe, then M exits: its N zombies are re-parented to the (stopped)
 *   init; checks with pidfd_open + poll that each one has exited (without
 *   touching /proc: a /proc/PID dentry would make reaping it dearer)
 *   -> "Z COUNT"     the driver then notes the time and sends SIGCONT
 *   polls kill(pid, 0) until every one of them is gone (reaped), then
 *   -> "D T_NS"      CLOCK_MONOTONIC when the last one was seen reaped
 *                    (polled every 100 us), then waits for the driver's
 *   <- "Q"           (or EOF), so that the init is still there to be
 *                    looked at, and exits;
 *   or "E what" / "T LEFT" (not all reaped within TIMEOUT_S), and exits.
 *
 * When started under a real-time policy (the driver runs the init and this
 * helper pinned to one CPU at SCHED_FIFO), the set-up runs at SCHED_OTHER
 * (it is not timed, and would use up the real-time budget) and the policy
 * is restored before "Z": then, at equal priority, the polling only runs
 * once the init blocks, that is once it has reaped all it could.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: orphans N TIMEOUT_S\n"); return 2; }
    int n = atoi(argv[1]);
    long long timeout = atoll(argv[2]) * 1000000000LL;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL); /* whatever the init left us */
    signal(SIGCHLD, SIG_DFL);
    signal(SIGCONT, SIG_DFL);
    prctl(PR_SET_TIMERSLACK, 1UL);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (getppid() != 1) { printf("E parent is not PID 1\n"); return 1; }

    struct sched_param rt;
    int policy = sched_getscheduler(0);
    sched_getparam(0, &rt);
    if (policy == SCHED_FIFO || policy == SCHED_RR) {
        struct sched_param zero = {0};
        sched_setscheduler(0, SCHED_OTHER, &zero);
    }

    printf("R\n");
    char line[64];
    if (!fgets(line, sizeof line, stdin) || line[0] != 'S') { printf("E no go\n"); return 1; }

    int fds[2];
    int *pids = malloc(sizeof(int) * (size_t)n);
    if (!pids || pipe(fds) < 0) { printf("E pipe\n"); return 1; }
    pid_t m = fork();
    if (m < 0) { printf("E fork: %s\n", strerror(errno)); return 1; }
    if (m == 0) {
        close(fds[0]);
        for (int made = 0; made < n; made++) {
            pid_t c = vfork();
            if (c == 0) _exit(0);
            int v = c < 0 ? -errno : c;
            if (write(fds[1], &v, sizeof v) != sizeof v || c < 0) _exit(1);
        }
        _exit(0);
    }
    close(fds[1]);
    int k = 0, v, status;
    while (k < n && read(fds[0], &v, sizeof v) == sizeof v) {
        if (v < 0) { printf("E forked only %d: %s\n", k, strerror(-v)); return 1; }
        pids[k++] = v;
    }
    close(fds[0]);
    waitpid(m, &status, 0);
    if (k < n) { printf("E forked only %d\n", k); return 1; }

    /* Each must still exist (the init is stopped) and have exited. */
    int bad = 0;
    for (int i = 0; i < k; i++) {
        int fd = (int)syscall(SYS_pidfd_open, pids[i], 0);
        if (fd < 0 && errno == ENOSYS) break; /* kernel < 5.3: trust the set-up */
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (fd < 0 || poll(&p, 1, 1000) != 1) bad++; /* one may still be exiting */
        if (fd >= 0) close(fd);
    }
    if (bad) { printf("E %d of %d orphans not zombies\n", bad, k); return 1; }
    qsort(pids, (size_t)k, sizeof *pids, cmp);

    if (policy == SCHED_FIFO || policy == SCHED_RR) sched_setscheduler(0, policy, &rt);
    printf("Z %d\n", k);
    long long start = now_ns();
    struct timespec nap = {0, 100000};
    for (int i = 0; i < k;) {
        if (kill(pids[i], 0) < 0 && errno == ESRCH) { i++; continue; }
        if (now_ns() - start > timeout) { printf("T %d\n", k - i); return 1; }
        nanosleep(&nap, NULL);
    }
    printf("D %lld\n", now_ns());
    (void)!fgets(line, sizeof line, stdin);
    return 0;
}
