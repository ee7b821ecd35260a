//! The catatonit 0.1.7 personality: options `-ghLPV` and `--version`, a
//! subreaper it must become when not PID 1, its descriptors >= 3 closed
//! and LISTEN_PID rewritten for the child, job-control signals dropped,
//! `LEVEL (catatonit:PID): ` messages (`log`).

use super::{flag, Config, UsageError};
use crate::sys::Argv;

/// catatonit's options, packed as `cli::options` reads them.
pub const TABLE: &[u8] = b"g\x04\0h\x1d\0L\x1f\0P\x08\0V\x1eversion\0";

/// `-h`, on stderr as catatonit prints it, after `USAGE`.
pub const HELP: &[u8] = crate::packed!(
    b" -g forward signals to the group, -P pause mode, -h, -L, -V/--version  (mite as catatonit)
"
);

/// catatonit's usage line, also printed after each usage error.
pub const USAGE: &[u8] =
    crate::packed!(b"usage: catatonit [-ghLPV] [--] <progname> [<arguments>...]\n");

pub fn defaults(cfg: &mut Config<'_>) {
    cfg.flags =
        flag::SUBREAPER | flag::OWN_GROUP | flag::CLOSE_FDS | flag::LISTEN_PID | flag::CHDIR_ROOT;
    // catatonit shows errors only, unless CATATONIT_DEBUG.
    cfg.verbosity = 0;
    // A background catatonit must not be stopped by its terminal: it
    // drops these instead of forwarding them.
    cfg.rewrite.job_control(None, true);
}

/// catatonit's variables: CATATONIT_DEBUG (any value) shows everything;
/// CATATONIT_LOG is reserved, and refused.
pub fn env<'a>(envp: Argv<'a>, cfg: &mut Config<'a>) -> Result<(), UsageError<'a>> {
    if envp.getenv(b"CATATONIT_DEBUG").is_some() {
        cfg.verbosity = crate::log::DEBUG;
    }
    match envp.getenv(b"CATATONIT_LOG") {
        Some(_) => Err(UsageError::Reserved),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::{HELP, TABLE};
    use crate::cli::testing::{absolute, check, table_is_sound};

    #[test]
    fn table() {
        table_is_sound(TABLE, HELP, "ghLPV", &["version"], &[]);
    }

    #[test]
    fn defaults() {
        for cmd in ["catatonit x", "/usr/libexec/podman/catatonit x"] {
            assert_eq!(
                absolute(cmd, &[]),
                "run[x] reaper=hard +own-group +close-fds +listen-pid +chdir-root v=0 \
                 r=20:0,21:0,22:0",
                "{cmd}"
            );
        }
    }

    #[test]
    fn every_option() {
        check(&[
            ("catatonit -g x", &[], "run[x] +pgroup"),
            ("catatonit -P", &[], "run[] +pause"),
            ("catatonit -P x", &[], "run[x] +pause"),
            ("catatonit -gP", &[], "run[] +pgroup +pause"),
            ("catatonit -g -P --", &[], "run[] +pgroup +pause"),
            ("catatonit -h", &[], "help"),
            ("catatonit -gh", &[], "help"),
            ("catatonit -L", &[], "license"),
            ("catatonit -V", &[], "version"),
            ("catatonit --version", &[], "version"),
            ("catatonit -gV", &[], "version"),
            ("catatonit -Vx", &[], "version"),
            ("catatonit -g -- sh -c x", &[], "run[sh -c x] +pgroup"),
            ("catatonit sh -c x", &[], "run[sh -c x]"),
            ("catatonit -- -g", &[], "run[-g]"),
            ("catatonit - x", &[], "run[- x]"),
        ]);
    }

    #[test]
    fn variables() {
        check(&[
            ("catatonit x", &["CATATONIT_DEBUG="], "run[x] v=3"),
            ("catatonit x", &["CATATONIT_DEBUG=0"], "run[x] v=3"),
            ("catatonit x", &["CATATONIT_DEBUG"], "run[x]"),
            ("catatonit x", &["MITE_GRACE=5"], "run[x] grace=5"),
            ("catatonit x", &["MITE_SUBREAPER=0"], "run[x] reaper=off"),
            ("catatonit x", &["MITE_SUBREAPER=1"], "run[x]"),
            ("catatonit x", &["MITE_REWRITE=TSTP:STOP"], "run[x] r=20:19"),
            ("catatonit", &["MITE_PAUSE=1"], "run[] +pause"),
            // MITE_VERBOSE adds to catatonit's level, errors only (0).
            ("catatonit x", &["MITE_VERBOSE=2"], "run[x] v=2"),
            ("catatonit x", &["MITE_VERBOSE=0"], "run[x]"),
            (
                "catatonit x",
                &["MITE_VERBOSE=1", "CATATONIT_DEBUG=1"],
                "run[x] v=3",
            ),
            (
                "catatonit x",
                &["TINI_VERBOSITY=x", "DUMB_INIT_SETSID=0"],
                "run[x]",
            ),
        ]);
    }

    #[test]
    fn refusals() {
        check(&[
            ("catatonit", &[], "noprogram"),
            ("catatonit --", &[], "noprogram"),
            ("catatonit -g", &[], "noprogram"),
            ("catatonit -x x", &[], "unknown -x"),
            ("catatonit -gx x", &[], "unknown -x"),
            ("catatonit -s x", &[], "unknown -s"),
            ("catatonit -v x", &[], "unknown -v"),
            ("catatonit -l x", &[], "unknown -l"),
            ("catatonit --help", &[], "unknown --help"),
            ("catatonit --pause", &[], "unknown --pause"),
            ("catatonit --version=1", &[], "unexpected --version"),
            ("catatonit x", &["CATATONIT_LOG=x"], "reserved"),
            ("catatonit x", &["CATATONIT_LOG="], "reserved"),
            ("catatonit", &["CATATONIT_LOG=x"], "reserved"),
            // Without `=` it is no variable (getenv).
            ("catatonit x", &["CATATONIT_LOG"], "run[x]"),
            // The MITE_* variables are read first.
            (
                "catatonit x",
                &["CATATONIT_LOG=x", "MITE_GRACE=x"],
                "badenv MITE_GRACE=x",
            ),
            ("catatonit x", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            ("catatonit -V", &["MITE_PAUSE=2"], "badenv MITE_PAUSE=2"),
        ]);
    }

    /// catatonit reads CATATONIT_LOG before its options: with it set,
    /// `catatonit -h` and `catatonit -x` fail with the CATATONIT_LOG
    /// error (Debian's catatonit 0.1.7 does so; seen:
    /// `CATATONIT_LOG=x catatonit -h` prints `ERROR (catatonit:PID):
    /// CATATONIT_LOG is reserved for future use`, exit 1).
    #[test]
    fn catatonit_log_is_refused_before_the_options() {
        check(&[
            ("catatonit -h", &["CATATONIT_LOG=x"], "reserved"),
            ("catatonit -V", &["CATATONIT_LOG=x"], "reserved"),
            ("catatonit -x", &["CATATONIT_LOG=x"], "reserved"),
            ("catatonit -P", &["CATATONIT_LOG=x"], "reserved"),
        ]);
    }
}
