//! The dumb-init 1.2.5 personality: getopt_long with "+hvVcr:", the
//! session mode by default (`flag::SETSID`), `-r S:R` by numbers,
//! DUMB_INIT_SETSID and DUMB_INIT_DEBUG, `[dumb-init] ` messages (`log`).

use super::{flag, Config};
use crate::sys::Argv;

/// dumb-init's options, packed as `cli::options` reads them. `-c` clears
/// the session flag (code: its bit | `opt::CLEAR`).
pub const TABLE: &[u8] = b"\
h\x1dhelp\0\tprint this help\0\
c\x46single-child\0\tsignal only the child; no session (DUMB_INIT_SETSID=0)\0\
r\x94rewrite\0S:R\tforward signal S (1-31) as R, R=0 drops S (repeatable)\0\
v\x12verbose\0\tdebug messages on stderr (DUMB_INIT_DEBUG=1)\0\
V\x1eversion\0\tprint the version\0";

pub fn defaults(cfg: &mut Config<'_>) {
    cfg.flags = flag::SETSID | flag::CHDIR_ROOT;
}

/// dumb-init's variables, read after the options as dumb-init does.
pub fn env(envp: Argv<'_>, cfg: &mut Config<'_>) {
    if envp.getenv(b"DUMB_INIT_DEBUG") == Some(b"1") {
        cfg.verbosity = crate::log::DEBUG;
    }
    if envp.getenv(b"DUMB_INIT_SETSID") == Some(b"0") {
        cfg.flags &= !flag::SETSID;
    }
}
