//! The tini 0.19 personality (`tini`, `tini-static`, `docker-init`,
//! `podman-init`): tini's options (short only, and `--version`), its
//! environment variables, its messages (`log`) and exit codes.

use super::{flag, Config, UsageError};
use crate::bytes::parse_u32;
use crate::sys::Argv;

/// tini's options, packed as `cli::options` reads them.
pub const TABLE: &[u8] = b"s\x00\0p\x90\0g\x04\0e\x93\0v\x11\0w\x03\0l\x1f\0h\x1d\0\0\x1eversion\0";

/// `-h` (\x01: the name mite was called by).
pub const HELP: &[u8] = crate::packed!(
    b"usage: \x01 [-hsvwgl] [-p SIG] [-e N] [--version] [--] PROGRAM [ARGS...]
 -s subreaper, -p SIG on parent death, -g signal the group, -e N exit 0 for N,
 -v verbose, -w warn when reaping, -l license, -h help; TINI_SUBREAPER,
 TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY; MITE_* as for mite (mite as tini 0.19)
"
);

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
