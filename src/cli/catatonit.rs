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
