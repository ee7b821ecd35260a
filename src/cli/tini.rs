//! The tini 0.19 personality (`tini`, `tini-static`, `docker-init`,
//! `podman-init`): tini's options (short only, and `--version`), its
//! environment variables, its messages (`log`) and exit codes.

use super::{flag, Config, UsageError};
use crate::bytes::parse_u32;
use crate::sys::Argv;

/// tini's options, packed as `cli::options` reads them.
pub const TABLE: &[u8] = b"\
s\x00\0\tbe a child subreaper (reap orphans when not PID 1)\0\
p\x90\0SIG\tget SIG (e.g. SIGKILL) when the parent dies\0\
g\x04\0\tsignal the child's process group\0\
e\x93\0N\texit 0 for status N (repeatable)\0\
v\x11\0\tmore messages (repeatable)\0\
w\x03\0\twarn for each zombie reaped\0\
l\x1f\0\tlicense\0\
h\x1d\0\thelp\0\
\0\x1eversion\0\t\0";

/// After the option lines of `-h`.
pub const HELP_END: &[u8] =
    b"env: TINI_SUBREAPER (-s), TINI_KILL_PROCESS_GROUP (-g), TINI_VERBOSITY=0..3; MITE_* (mite -h)\n";

pub fn defaults(cfg: &mut Config<'_>) {
    cfg.flags = flag::WARN_NO_REAPER | flag::OWN_GROUP;
}

/// tini's variables, read after the options as tini does: they can only
/// switch features on, except TINI_VERBOSITY, which overrides `-v`.
pub fn env<'a>(envp: Argv<'a>, cfg: &mut Config<'a>) -> Result<(), UsageError<'a>> {
    if envp.getenv(b"TINI_SUBREAPER").is_some() {
        cfg.flags = (cfg.flags | flag::SUBREAPER) & !flag::SOFT_REAPER;
    }
    if envp.getenv(b"TINI_KILL_PROCESS_GROUP").is_some() {
        cfg.flags |= flag::PGROUP;
    }
    if let Some(v) = envp.getenv(b"TINI_VERBOSITY") {
        cfg.verbosity = parse_u32(v, u32::MAX).ok_or(UsageError::BadEnv(b"TINI_VERBOSITY", v))?;
    }
    Ok(())
}
