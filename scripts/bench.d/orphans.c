/* orphans: the child side of the orphan-reaping benchmark.
 *
 *   orphans N TIMEOUT_S
 *
 * Runs as the child of the init under test, the init being PID 1 of a fresh
 * PID namespace. Talks to the driver on stdin/stdout, one line each way:
 *   -> "R"           ready; the driver then stops the init (SIGSTOP from
 *                    the parent namespace) and answers
 *   <- "S"
 *   a process M forks N children that exit at once, then M exits: its N
 *   zombies are re-parented to the (stopped) init; checks in /proc that
 *   exactly they remain, each a zombie whose parent is 1
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
#include <dirent.h>
#include <sched.h>
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
    if (pipe(fds) < 0) { printf("E pipe\n"); return 1; }
    pid_t m = fork();
    if (m < 0) { printf("E fork: %s\n", strerror(errno)); return 1; }
    if (m == 0) {
        int made = 0, err = 0;
        for (; made < n; made++) {
            pid_t c = vfork();
            if (c == 0) _exit(0);
            if (c < 0) { err = errno; break; }
        }
        int msg[2] = {made, err};
        (void)!write(fds[1], msg, sizeof msg);
        _exit(0);
    }
    int msg[2] = {0, 0}, status;
    close(fds[1]);
    if (read(fds[0], msg, sizeof msg) != sizeof msg) { printf("E no count from forker\n"); return 1; }
    waitpid(m, &status, 0);
    if (msg[0] < n) { printf("E forked only %d: %s\n", msg[0], strerror(msg[1])); return 1; }

    /* Every other process of the namespace must now be a zombie child of 1. */
    int *pids = malloc(sizeof(int) * (size_t)(n + 16)), k = 0, bad = 0;
    pid_t self = getpid();
    DIR *d = opendir("/proc");
    if (!d || !pids) { printf("E /proc\n"); return 1; }
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 1 || pid == self) continue;
        char path[64], buf[512];
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "r");
        if (!f) continue; /* gone already */
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = 0;
        char *p = strrchr(buf, ')'), state = 0;
        int ppid = 0;
        if (!p || sscanf(p + 1, " %c %d", &state, &ppid) != 2 || state != 'Z' || ppid != 1) bad++;
        if (k < n + 16) pids[k++] = (int)pid;
    }
    closedir(d);
    if (bad || k != n) { printf("E %d processes, %d not zombies of PID 1\n", k, bad); return 1; }
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
