//! Set-up, spawn, the supervision loop and the drain.
//!
//! Failure policy: during set-up (before the child exists) any error is a
//! FATAL message and exit 1. Once the child runs, mite must not bail out:
//! it warns and carries on, and only the end of the child (and of the
//! drain) makes it exit.
//!
//! The end, in order: the main child is reaped; if others remain and a
//! grace period is set, they are asked to stop (the drain signal) and
//! waited for until none is left or the grace period is over, when what
//! is left is SIGKILLed; then mite exits with the main child's status.
//! "The others" are every other process of the namespace when mite is
//! PID 1 (`kill(-1)`), else mite's own children: an unreaped child keeps
//! its pid, so signalling one can never hit a recycled pid, and as a
//! subreaper mite adopts every orphaned descendant as a child.

use crate::cli::{flag, Config, Personality};
use crate::log::{Log, Msg};
use crate::out::num;
use crate::signal::{SigSet, Signal};
use crate::spawn::exec_child;
use crate::status;
use crate::sys::{self, Argv, Errno, Pid, Timespec, STDIN};

/// The signals mite blocks and waits for.
///
/// tini and catatonit leave the synchronous ones (SEGV, ABRT, ...)
/// unblocked, so the kernel drops them when they are sent to a
/// namespace's PID 1 (tini#104); those personalities keep that, the
/// others block and forward them too. A real fault in mite is still fatal
/// either way: the kernel forces a synchronous fault through a blocked
/// mask.
///
/// tini ignores SIGTTIN/SIGTTOU so that the terminal can never stop it
/// once its child holds the foreground. mite blocks them instead: for job
/// control the kernel treats a blocked signal exactly like an ignored one
/// (no stop; a background read gets EIO), so the protection is the same,
/// while a TTIN/TTOU sent with kill() is still forwarded and the child
/// inherits the dispositions untouched: there is nothing to save and
/// restore but the mask.
pub fn blocked_set(p: Personality) -> SigSet {
    match p {
        Personality::Tini | Personality::Catatonit => {
            SigSet(SigSet::FULL.0 & !crate::signal::SYNCHRONOUS.0)
        }
        _ => SigSet::FULL,
    }
}

/// Nanoseconds per second, for deadlines.
const SEC: u64 = 1_000_000_000;

/// How many drained processes mite remembers having asked to stop, so
/// that each is asked once (not PID 1: they are asked one by one as they
/// become mite's children). Beyond that many at once, one may be asked
/// twice; never zero times.
const ASKED: usize = 32;

/// The supervisor's state.
struct Supervisor<'c, 'a> {
    cfg: &'c Config<'a>,
    log: Log,
    /// The main child; 0 in pause mode.
    child: Pid,
    /// mite is its namespace's PID 1.
    pid1: bool,
    /// The main child's exit code once it has been reaped, else -1.
    status: i32,
    /// The next deadline (CLOCK_MONOTONIC, ns; 0: none): the timeout while
    /// the main child runs, the end of the grace period after.
    deadline: u64,
    /// The timeout has fired: mite will exit 124.
    timed_out: bool,
    /// The main child is gone and the rest are being drained.
    draining: bool,
    /// The grace period is over: everything left is SIGKILLed.
    killing: bool,
    /// Signals to drop once: the SIGHUP and SIGCONT that detaching from
    /// the terminal sends (dumb-init).
    ignore_once: SigSet,
    /// Children asked to stop by the drain (0: a free slot).
    asked: [Pid; ASKED],
    /// The signal just forwarded to everyone (`--signal-all`), if nothing
    /// was sent to everyone after it.
    sent_all: u32,
}

/// Runs the program of `cfg` under supervision until mite exits.
/// `block` is mite's signal mask (`blocked_set`), already in place; `mask`
/// the one mite started with, for the child.
// Inlining hints per architecture (here and on join, find_opt, parse,
// Argv::get, kill): each measured to make that target's binary smaller;
// they change no behaviour.
#[cfg_attr(target_arch = "x86_64", inline(never))]
#[cfg_attr(target_arch = "aarch64", inline(always))]
pub fn run(cfg: &Config<'_>, envp: Argv<'_>, block: SigSet, mask: SigSet) -> ! {
    let pid = sys::getpid();
    let log = Log {
        personality: cfg.personality,
        verbosity: cfg.verbosity,
        pid,
    };

    // --- Set-up: errors are fatal (exit 1), no child exists yet. ---

    if let Some(sig) = cfg.pdeathsig {
        let parent = sys::getppid();
        sys::set_parent_death_signal(sig);
        // The parent may have died before the prctl took effect: then the
        // signal will never come, so send it to ourselves. It is blocked,
        // so it waits and is forwarded to the child like any other (or,
        // for SIGKILL, ends mite).
        if sys::getppid() != parent {
            let _ = sys::kill(pid, sig);
        }
    }

    if pid != 1 {
        let mut reaper = false;
        if cfg.on(flag::SUBREAPER) {
            match sys::set_child_subreaper() {
                Ok(()) => reaper = true,
                Err(e) if !cfg.on(flag::SOFT_REAPER) => fatal(&log, Msg::SubreaperFailed, e),
                Err(_) => {}
            }
        }
        if cfg.on(flag::WARN_NO_REAPER) && !reaper && !sys::is_child_subreaper().unwrap_or(false) {
            let who: &[u8] = if cfg.personality == Personality::Tini {
                b"Tini is "
            } else {
                b""
            };
            // tini's key phrase, which tools grep for.
            log.say(Msg::NotAReaper, who, 0);
        }
        if cfg.personality == Personality::Pause {
            log.note(Msg::PauseNotPid1, 0);
        }
    }

    let mut sv = Supervisor {
        cfg,
        log,
        child: 0,
        pid1: pid == 1,
        status: -1,
        deadline: 0,
        timed_out: false,
        draining: false,
        killing: false,
        ignore_once: SigSet::EMPTY,
        asked: [0; ASKED],
        sent_all: 0,
    };
    if cfg.on(flag::SETSID) {
        sv.detach_terminal();
    }

    if !cfg.on(flag::PAUSE) {
        sv.child = match sys::clone_process() {
            Ok(Some(child)) => child,
            Ok(None) => exec_child(cfg, &log, mask, envp),
            Err(e) => fatal(&log, Msg::ForkFailed, e),
        };
        if cfg.on(flag::OWN_GROUP) && !cfg.on(flag::SETSID) {
            // Also set the child's group from here, so that a signal
            // forwarded to the group before the child runs setpgid still
            // finds it. It fails harmlessly if the child has already exec'd.
            let _ = sys::setpgid(sv.child, sv.child);
        }
        log.note(Msg::Spawned, sv.child as u32);
        if cfg.timeout > 0 {
            sv.deadline = deadline_in(cfg.timeout);
        }
    }

    // --- Supervision: never bail out; only the end exits. ---

    if cfg.on(flag::CHDIR_ROOT) {
        // So that mite pins no mount; the child keeps its own directory.
        let _ = sys::chdir(b"/\0");
    }
    if cfg.on(flag::CLOSE_FDS) {
        // The child has its copies: mite's must not keep a socket open
        // that the program closes (socket activation, catatonit#12).
        // close_range where the kernel has it (5.9), else one by one up to
        // the descriptor limit (a listing of /proc/self/fd would be faster
        // there, at 250 bytes more).
        if sys::close_from(3).is_err() {
            for fd in 3..sys::fd_limit() {
                sys::close(fd as i32);
            }
        }
    }

    let wait_set = block.without(Signal::KILL).without(Signal::STOP);
    loop {
        // The clock is read only when a deadline is pending: without the
        // vDSO each read is a system call.
        let ts;
        let mut timeout = None;
        if sv.deadline != 0 {
            let left = sv.deadline.saturating_sub(sys::monotonic_ns());
            ts = Timespec {
                sec: (left / SEC) as i64,
                nsec: (left % SEC) as i64,
            };
            timeout = Some(&ts);
        }
        match sys::sigtimedwait(&wait_set, timeout) {
            Ok(sig) => sv.on_signal(sig),
            Err(Errno::EAGAIN) => sv.on_deadline(),
            // EINTR: a stop/continue of mite itself or a tracer; just wait again.
            Err(_) => {}
        }
    }
}

/// The CLOCK_MONOTONIC time `secs` seconds from now, in nanoseconds.
#[inline(never)]
fn deadline_in(secs: u32) -> u64 {
    sys::monotonic_ns() + u64::from(secs) * SEC
}

/// A set-up failure: `m` names what failed, \x04 in it the reason.
fn fatal(log: &Log, m: Msg, e: Errno) -> ! {
    log.note(m, e.into_raw() as u32);
    sys::exit(1)
}

/// Calls `f` with each of mite's children, as the kernel lists them in
/// /proc/thread-self/children (mite has one thread); none without /proc.
// `dyn`: one copy of the loop for its callers.
fn for_each_child(f: &mut dyn FnMut(Pid)) {
    let Ok(fd) = sys::open(b"/proc/thread-self/children\0") else {
        return;
    };
    let mut buf = [0u8; 256];
    let mut pid: Pid = 0;
    while let Ok(n @ 1..) = sys::read(fd, &mut buf) {
        for &c in buf.get(..n).unwrap_or(&[]) {
            if c.is_ascii_digit() {
                pid = pid.wrapping_mul(10).wrapping_add(Pid::from(c - b'0'));
            } else if pid != 0 {
                f(pid);
                pid = 0;
            }
        }
    }
    if pid != 0 {
        f(pid);
    }
    sys::close(fd);
}

impl Supervisor<'_, '_> {
    /// dumb-init's session mode, mite's side: give up the terminal so
    /// that the child's new session can take it. As the session leader,
    /// this hangs the terminal up for mite's own group: the SIGHUP and
    /// SIGCONT that follow are not for the child (dumb-init#136).
    fn detach_terminal(&mut self) {
        let log = &self.log;
        match sys::detach_terminal(STDIN) {
            Err(e) => log.note(Msg::NoDetach, e.into_raw() as u32),
            Ok(()) if sys::getsid() == Ok(log.pid) => {
                log.note(Msg::Detached, 0);
                self.ignore_once = SigSet::EMPTY.with(Signal::HUP).with(Signal::CONT);
            }
            Ok(()) => log.note(Msg::DetachedNotLeader, 0),
        }
    }

    /// A signal arrived.
    fn on_signal(&mut self, sig: Signal) {
        let cfg = self.cfg;
        let log = self.log;
        log.note(Msg::Received, sig.get());
        if self.ignore_once.contains(sig) {
            self.ignore_once = self.ignore_once.without(sig);
            log.note(Msg::HandOff, sig.get());
            return;
        }
        if sig == Signal::CHLD {
            return self.reap_zombies();
        }
        let stop = sig == Signal::TERM || sig == Signal::INT;
        if cfg.on(flag::PAUSE) {
            // No child: SIGINT and SIGTERM end the pause, the rest are dropped.
            if stop {
                if cfg.personality == Personality::Pause {
                    log.say(Msg::ShuttingDown, crate::cli::pause::describe(sig), 0);
                }
                sys::exit(0);
            }
            return;
        }
        if self.draining {
            // A second request to stop: no more grace.
            if stop {
                return self.kill_rest();
            }
            return self.forward(sig, true);
        }
        self.forward(sig, cfg.on(flag::SIGNAL_ALL));
        if (cfg.on(flag::SETSID) || cfg.personality == Personality::DumbInit)
            && (sig == Signal::TSTP || sig == Signal::TTOU || sig == Signal::TTIN)
        {
            // Job control: the child (group) was stopped; so is mite, until
            // a SIGCONT resumes it (and is forwarded to resume the child),
            // so that the shell that runs mite gets its prompt back. dumb-
            // init does so in both of its modes.
            log.note(Msg::Suspending, 0);
            let _ = sys::kill(log.pid, Signal::STOP);
        }
    }

    /// Forwards `sig`, rewritten as configured, to the child (or its group)
    /// or, with `all`, to every process mite may signal. A failure is not
    /// reported: the main child cannot be gone when this targets it (it is
    /// a zombie until mite reaps it, which keeps its pid, so the pid cannot
    /// have been reused), and a group whose members are all gone (dumb-
    /// init's parting SIGTERM) is no one to tell.
    fn forward(&mut self, sig: Signal, all: bool) {
        let cfg = self.cfg;
        let log = self.log;
        let mut n = sig.get();
        if let Some(to) = cfg.rewrite.get(sig) {
            let mut digits = [0; 10];
            log.say(Msg::Translating, num(n, &mut digits), to);
            n = to;
        }
        let Some(to) = Signal::new(n) else {
            return log.note(Msg::NotForwarding, n);
        };
        if all {
            self.signal_all(to, None, false);
            if !self.draining {
                self.sent_all = n;
            }
        } else {
            let group = cfg.on(flag::PGROUP) || cfg.on(flag::SETSID);
            let _ = sys::kill(if group { -self.child } else { self.child }, to);
        }
        log.note(Msg::Forwarded, n);
    }

    /// Sends `sig` to every process mite may signal: as PID 1, everyone
    /// else in the namespace (`kill(-1)`); else each of mite's children, as
    /// /proc lists them (without /proc: no one). With `report`, each child is
    /// also named in an INFO line; with `once`, a child already sent the
    /// drain signal is left out (only `ASKED` are remembered at a time).
    fn signal_all(&mut self, sig: Signal, report: Option<Msg>, once: bool) {
        let pid1 = self.pid1;
        // Every child sent the drain signal is remembered, forwarded
        // (`--signal-all`) or asked: the drain asks each once (to many
        // programs a second SIGTERM means "quit now"). As PID 1 the drain's
        // `kill(-1)` is left out when `--signal-all` has just sent it.
        let record = Some(sig) == self.cfg.drain_signal;
        if pid1 && !(once && self.sent_all == sig.get()) {
            let _ = sys::kill(-1, sig);
        }
        self.sent_all = 0;
        let Supervisor { asked, log, .. } = self;
        for_each_child(&mut |pid| {
            let known = asked.contains(&pid);
            if once && known {
                return;
            }
            if record && !known {
                if let Some(slot) = asked.iter_mut().find(|p| **p == 0) {
                    *slot = pid;
                }
            }
            if !pid1 {
                let _ = sys::kill(pid, sig);
            }
            if let Some(m) = report {
                let mut digits = [0; 10];
                log.say(m, num(pid as u32, &mut digits), sig.get());
            }
        });
    }

    /// Reaps every terminated child (SIGCHLDs coalesce: one may stand for
    /// many); exits when it is time.
    fn reap_zombies(&mut self) {
        let cfg = self.cfg;
        let log = self.log;
        let mut main_ended = false;
        loop {
            let r = match sys::reap_any() {
                Ok(Some(r)) => r,
                Err(Errno::EINTR) => continue,
                // Children remain, none has ended.
                Ok(None) => break,
                // ECHILD: no child is left. Nothing else can fail here.
                Err(_) if self.status >= 0 => self.end(),
                Err(_) => return,
            };
            let Some(ended) = status::decode(r.status) else {
                continue;
            };
            let (m, n) = match ended {
                status::Ended::Exited(c) => (Msg::Exited, c),
                status::Ended::Killed(s) => (Msg::Killed, s),
            };
            let mut digits = [0; 10];
            log.say(m, num(r.pid as u32, &mut digits), n.into());
            // A reaped pid may be reused by a new process: forget it.
            for p in self.asked.iter_mut().filter(|p| **p == r.pid) {
                *p = 0;
            }
            if r.pid == self.child && self.status < 0 {
                self.status = status::exit_code(ended, &cfg.remap).into();
                main_ended = true;
                // dumb-init's session mode without a drain: SIGTERM (as
                // rewritten) to the child's group before mite exits. The
                // group keeps its id while a member is left, so this cannot
                // hit a recycled pid; dumb-init's single-child mode sends
                // it to the reaped pid itself, which mite does not.
                if cfg.on(flag::SETSID) && cfg.grace == 0 {
                    self.forward(Signal::TERM, false);
                }
            } else if cfg.on(flag::WARN_REAP) {
                log.note(Msg::Reaped, r.pid as u32);
            }
        }
        if main_ended {
            if cfg.grace == 0 {
                self.end();
            }
            // The main child is gone and others remain: ask them to stop,
            // and give them the grace period (or what is left of it after
            // a timeout).
            self.draining = true;
            if self.deadline == 0 || !self.timed_out {
                self.deadline = deadline_in(cfg.grace);
            }
            self.ask_to_stop();
        } else if self.killing {
            // Orphans adopted since: they go the same way.
            self.signal_all(Signal::KILL, None, false);
        } else if self.draining {
            // Orphans adopted since (not PID 1: they are not asked yet).
            self.ask_to_stop();
        }
    }

    /// Sends the drain signal to each process not yet sent it.
    fn ask_to_stop(&mut self) {
        if let Some(sig) = self.cfg.drain_signal {
            self.signal_all(sig, Some(Msg::Asked), true);
        }
    }

    /// A deadline passed: the timeout of the main child, or the end of the
    /// grace period.
    fn on_deadline(&mut self) {
        let cfg = self.cfg;
        if self.status < 0 && !self.timed_out {
            self.timed_out = true;
            self.forward(cfg.timeout_signal, cfg.on(flag::SIGNAL_ALL));
            self.deadline = 0;
            if cfg.grace > 0 {
                self.deadline = deadline_in(cfg.grace);
            }
        } else {
            self.kill_rest();
        }
    }

    /// The grace period is over (or a second request to stop came):
    /// SIGKILL everything left, the main child included.
    fn kill_rest(&mut self) {
        self.killing = true;
        self.deadline = 0;
        self.signal_all(Signal::KILL, Some(Msg::Killing), false);
    }

    /// Exits: 124 once the timeout has fired (as timeout(1)), else with
    /// the main child's status.
    fn end(&self) -> ! {
        let code = if self.timed_out {
            124
        } else {
            self.status as u8
        };
        self.log.note(Msg::Goodbye, code.into());
        sys::exit(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_sets() {
        let t = blocked_set(Personality::Tini);
        assert!(!t.contains(Signal::ABRT) && !t.contains(Signal::SEGV) && t.contains(Signal::TTOU));
        assert!(
            t.contains(Signal::TERM)
                && t.contains(Signal::CHLD)
                && t.contains(Signal::new(64).unwrap())
        );
        assert_eq!(blocked_set(Personality::Catatonit), t);
        assert_eq!(blocked_set(Personality::Mite), SigSet::FULL);
        assert_eq!(blocked_set(Personality::DumbInit), SigSet::FULL);
    }
}
