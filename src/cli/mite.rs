//! mite's own CLI: tini's short options with long forms, signals by name
//! (with or without `SIG`, any case) or number, and what no reference
//! init has: the graceful drain, deadlines, `--signal-all`, dumb-init's
//! session mode and rewriting, a pause mode, and every option also from a
//! `MITE_*` environment variable (`cli::from_env`).

use super::{flag, Config};

/// mite's options, packed as `cli::options` reads them: letter, code
/// (a `flag` bit number, or `opt::*` | `opt::VALUE`), long name, NUL,
/// help (the value's name, a tab, what it does), NUL.
pub const TABLE: &[u8] = b"\
s\x00subreaper\0\tbe a child subreaper if not PID 1 (default; -s: must)\0\
p\x90pdeathsig\0SIG\tget SIG when mite's parent dies\0\
g\x04pgroup\0\tsignal the child's process group\0\
\0\x05signal-all\0\tsignal every process mite may signal\0\
r\x94rewrite\0S:R\tforward signal S as R, R=0 drops S (repeatable)\0\
\0\x06setsid\0\tthe child in its own session; job control (dumb-init)\0\
e\x93remap-exit\0N\texit 0 for status N (repeatable)\0\
\0\x95grace\0SECS\tthen signal the rest, SIGKILL after SECS (3; 0 off)\0\
\0\x96drain-signal\0SIG\tthe signal for the rest (TERM; 0: none)\0\
\0\x97timeout\0SECS\tsignal the child after SECS, exit 124\0\
\0\x98timeout-signal\0SIG\tthe signal for the child (TERM)\0\
P\x08pause\0\tno program: reap until SIGINT or SIGTERM\0\
v\x11verbose\0\tmore messages (repeatable)\0\
w\x03warn-reap\0\twarn for each zombie reaped\0\
l\x1flicense\0\t\0\
h\x1dhelp\0\t\0\
\0\x1eversion\0\t\0";

/// After the option lines of `--help`.
pub const HELP_END: &[u8] =
    b"Each option is also the variable shown (switches 1 or 0, lists with commas).\n\
env: TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY as for tini\n\
exit: the child's status, 128+N for signal N, 124 after --timeout,\n\
127/126 not found/not executable, 1 usage\n";

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
