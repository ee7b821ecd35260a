//! mite's own CLI: tini's short options with long forms, signals by name
//! (with or without `SIG`, any case) or number, and what no reference
//! init has: the graceful drain, deadlines, `--signal-all`, dumb-init's
//! session mode and rewriting, a pause mode, and every option also from a
//! `MITE_*` environment variable (`cli::from_env`).

use super::{flag, Config};

/// mite's options, packed as `cli::options` reads them: letter, code
/// (a `flag` bit number, or `opt::*` | `opt::VALUE`), long name, NUL.
pub const TABLE: &[u8] = b"\
s\x00subreaper\0p\x90pdeathsig\0g\x04pgroup\0\0\x05signal-all\0r\x94rewrite\0\0\x06setsid\0\
e\x93remap-exit\0\0\x95grace\0\0\x96drain-signal\0\0\x97timeout\0\0\x98timeout-signal\0\
P\x08pause\0v\x11verbose\0w\x03warn-reap\0l\x1flicense\0h\x1dhelp\0\0\x1eversion\0";

/// `--help` (\x01: the name mite was called by). Each option with its
/// variable (`cli::from_env`); a unit test checks that every option of
/// `TABLE` is here.
pub const HELP: &[u8] = crate::packed!(
    b"usage: \x01 [OPTIONS] [--] PROGRAM [ARGS...]
 -s --subreaper        MITE_SUBREAPER      be a subreaper if not PID 1 (default)
 -p --pdeathsig SIG    MITE_PDEATHSIG      get SIG when mite's parent dies
 -g --pgroup           MITE_PGROUP         signal the child's process group
    --signal-all       MITE_SIGNAL_ALL     signal every process mite may
 -r --rewrite S:R      MITE_REWRITE        forward signal S as R (R=0: drop)
    --setsid           MITE_SETSID         child's own session, job control
 -e --remap-exit N     MITE_REMAP_EXIT     exit 0 for status N
    --grace SECS       MITE_GRACE          then TERM the rest, KILL after (3)
    --drain-signal SIG MITE_DRAIN_SIGNAL   that TERM (0: none, only wait)
    --timeout SECS     MITE_TIMEOUT        then signal the child, exit 124
    --timeout-signal S MITE_TIMEOUT_SIGNAL that signal (TERM)
 -P --pause            MITE_PAUSE          no program: reap until INT/TERM
 -v --verbose          MITE_VERBOSE=N      more messages (repeatable)
 -w --warn-reap        MITE_WARN_REAP      warn for each zombie reaped
 -l --license, -h --help, --version
Variables: switches 1 or 0, lists (-r, -e) comma-separated; TINI_SUBREAPER,
TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY as for tini. Exit: the child's
status, 128+N for signal N, 124 timeout, 127/126 not runnable, 1 usage.
"
);

pub fn defaults(cfg: &mut Config<'_>) {
    cfg.flags = flag::SUBREAPER
        | flag::SOFT_REAPER
        | flag::WARN_NO_REAPER
        | flag::OWN_GROUP
        | flag::CLOSE_FDS
        | flag::LISTEN_PID
        | flag::CHDIR_ROOT;
    cfg.grace = 3;
}
