/* spawnbench: start-up time of several commands, interleaved.
 *
 *   spawnbench ROUNDS WARMUP SEED OUTFILE -- CMD1 ARGS... :: CMD2 ARGS... :: ...
 *
 * Each round runs every command once, in a new random order, with
 * posix_spawn (stdin, stdout and stderr on /dev/null) and waitpid, and
 * times spawn-to-reaped with CLOCK_MONOTONIC. WARMUP rounds are run first
 * and not recorded. OUTFILE gets one line per recorded run:
 * "CMD_INDEX NANOSECONDS WAIT_STATUS". A run still going after 5 s is
 * killed (SIGKILL) and recorded as "CMD_INDEX -1 -1"; that command is not
 * run again. Exit 0 when every run was recorded.
 *
 * Started under a real-time policy, it runs the commands one priority
 * lower than itself, so that one that spins cannot keep it from timing out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile pid_t running;
static volatile sig_atomic_t fired;

static void on_alarm(int sig) {
    (void)sig;
    fired = 1;
    if (running > 0) kill(running, SIGKILL);
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 7 || strcmp(argv[5], "--") != 0) {
        fprintf(stderr, "usage: spawnbench ROUNDS WARMUP SEED OUTFILE -- CMD... [:: CMD...]...\n");
        return 2;
    }
    int rounds = atoi(argv[1]), warmup = atoi(argv[2]);
    srandom((unsigned)strtoul(argv[3], NULL, 10));
    FILE *out = fopen(argv[4], "w");
    if (!out) { perror(argv[4]); return 2; }

    /* Split the command lines at "::" (argv is ours to modify). */
    char **cmds[64];
    int n = 0;
    cmds[n++] = &argv[6];
    for (int i = 6; i < argc; i++) {
        if (strcmp(argv[i], "::") == 0) {
            argv[i] = NULL;
            if (n == 64) { fprintf(stderr, "too many commands\n"); return 2; }
            cmds[n++] = &argv[i + 1];
        }
    }

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);

    posix_spawnattr_t attr, *pattr = NULL;
    posix_spawnattr_init(&attr);
    int policy = sched_getscheduler(0);
    struct sched_param sp;
    if ((policy == SCHED_FIFO || policy == SCHED_RR) && sched_getparam(0, &sp) == 0 &&
        sp.sched_priority > 1) {
        sp.sched_priority--;
        posix_spawnattr_setschedparam(&attr, &sp);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSCHEDPARAM);
        pattr = &attr;
    }

    struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);

    int order[64], dead[64] = {0};
    for (int i = 0; i < n; i++) order[i] = i;
    for (int r = 0; r < warmup + rounds; r++) {
        for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
            int j = (int)(random() % (i + 1)), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int k = 0; k < n; k++) {
            int c = order[k], status = 0;
            pid_t pid;
            if (dead[c]) continue;
            fired = 0;
            alarm(5);
            long long t0 = now_ns();
            int e = posix_spawn(&pid, cmds[c][0], &fa, pattr, cmds[c], environ);
            if (e != 0) {
                fprintf(stderr, "spawn %s: %s\n", cmds[c][0], strerror(e));
                return 1;
            }
            running = pid;
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
            long long dt = now_ns() - t0;
            running = 0;
            alarm(0);
            if (fired) {
                dead[c] = 1;
                fprintf(out, "%d -1 -1\n", c);
            } else if (r >= warmup) {
                fprintf(out, "%d %lld %d\n", c, dt, status);
            }
        }
    }
    return fclose(out) == 0 ? 0 : 1;
}
