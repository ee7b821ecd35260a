//! The dumb-init 1.2.5 personality: getopt_long with "+hvVcr:", the
//! session mode by default (`flag::SETSID`), `-r S:R` by numbers,
//! DUMB_INIT_SETSID and DUMB_INIT_DEBUG, `[dumb-init] ` messages (`log`).

use super::{flag, Config};
use crate::sys::Argv;

/// dumb-init's options, packed as `cli::options` reads them. `-c` clears
/// the session flag (code: its bit | `opt::CLEAR`).
pub const TABLE: &[u8] =
    b"h\x1dhelp\0c\x46single-child\0r\x94rewrite\0v\x12verbose\0V\x1eversion\0";

/// `--help`, on stderr as dumb-init prints it (\x01: argv[0]).
pub const HELP: &[u8] = crate::packed!(
    b"Usage: \x01 [option] command [[arg] ...]
 -c, --single-child (DUMB_INIT_SETSID=0)  -r, --rewrite s:r (r=0 drops s)
 -v, --verbose (DUMB_INIT_DEBUG=1)  -h, --help  -V, --version  (mite as dumb-init)
"
);

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
