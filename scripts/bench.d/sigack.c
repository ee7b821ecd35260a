/* sigack: the child side of the signal round-trip benchmark.
 *
 * Blocks SIGUSR1 (and the usual termination signals), writes 'R' on stdout
 * once ready, then writes one 'A' per SIGUSR1 it receives. SIGTERM, SIGINT
 * or SIGHUP make it exit 0; it also gives up by itself after 120 s
 * (SIGALRM left at its default action) so that it never outlives a run.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

int main(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_SETMASK, &set, NULL);
    signal(SIGALRM, SIG_DFL);
    alarm(120);
    if (write(1, "R", 1) != 1) return 1;
    for (;;) {
        int sig = sigwaitinfo(&set, NULL);
        if (sig == SIGUSR1) {
            if (write(1, "A", 1) != 1) return 1;
        } else if (sig > 0) {
            return 0;
        }
    }
}
