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

#[cfg(test)]
mod tests {
    use super::{HELP, TABLE};
    use crate::cli::testing::{absolute, check, table_is_sound};

    #[test]
    fn table() {
        table_is_sound(TABLE, HELP, "spgevwlh", &["version"], &["p", "e"]);
    }

    #[test]
    fn defaults_under_every_name() {
        for name in [
            "tini",
            "tini-static",
            "docker-init",
            "podman-init",
            "/usr/bin/tini",
            "/run/podman-init",
            "./tini-static",
        ] {
            assert_eq!(
                absolute(&format!("{name} x"), &[]),
                "run[x] +warn-no-reaper +own-group",
                "{name}"
            );
        }
    }

    #[test]
    fn every_option() {
        check(&[
            ("tini -s x", &[], "run[x] reaper=hard"),
            ("tini -p SIGKILL x", &[], "run[x] p=9"),
            ("tini -pSIGUSR1 x", &[], "run[x] p=10"),
            ("tini -p SIGSYS x", &[], "run[x] p=31"),
            ("tini -g x", &[], "run[x] +pgroup"),
            ("tini -e 143 -e0 x", &[], "run[x] e=0,143"),
            ("tini -e255 x", &[], "run[x] e=255"),
            ("tini -v x", &[], "run[x] v=2"),
            ("tini -vvv x", &[], "run[x] v=4"),
            ("tini -w x", &[], "run[x] +warn-reap"),
            ("tini -l", &[], "license"),
            ("tini -h", &[], "help"),
            ("tini -hx", &[], "help"),
            ("tini --version", &[], "version"),
            ("podman-init --version", &[], "version"),
            ("tini --version x", &[], "version"),
            ("tini -s --version", &[], "version"),
            (
                "tini -sgwv -- sh -c x",
                &[],
                "run[sh -c x] reaper=hard +warn-reap +pgroup v=2",
            ),
            (
                "tini -sgwvpSIGTERM x",
                &[],
                "run[x] reaper=hard +warn-reap +pgroup v=2 p=15",
            ),
            ("tini sh -c x", &[], "run[sh -c x]"),
            ("tini -- -s", &[], "run[-s]"),
            ("docker-init -- true", &[], "run[true]"),
            ("tini - x", &[], "run[- x]"),
        ]);
    }

    #[test]
    fn variables() {
        check(&[
            ("tini x", &["TINI_SUBREAPER="], "run[x] reaper=hard"),
            ("tini x", &["TINI_SUBREAPER=0"], "run[x] reaper=hard"),
            ("tini x", &["TINI_KILL_PROCESS_GROUP=1"], "run[x] +pgroup"),
            ("tini -v x", &["TINI_VERBOSITY=0"], "run[x] v=0"),
            ("tini x", &["TINI_VERBOSITY=3"], "run[x] v=3"),
            ("tini x", &["TINI_VERBOSITY=007"], "run[x] v=7"),
            (
                "tini x",
                &["TINI_SUBREAPER", "TINI_KILL_PROCESS_GROUP"],
                "run[x]",
            ),
            // The first entry of a name is the variable (getenv).
            (
                "tini x",
                &["TINI_VERBOSITY=2", "TINI_VERBOSITY=x"],
                "run[x] v=2",
            ),
            // MITE_* too, in mite's grammar (docker run --init -e ...).
            ("tini x", &["MITE_GRACE=5"], "run[x] grace=5"),
            ("docker-init x", &["MITE_GRACE=10"], "run[x] grace=10"),
            ("podman-init x", &["MITE_SUBREAPER=1"], "run[x] reaper=hard"),
            ("tini x", &["MITE_PDEATHSIG=kill"], "run[x] p=9"),
            ("tini -p SIGINT x", &["MITE_PDEATHSIG=kill"], "run[x] p=2"),
            ("tini x", &["MITE_REWRITE=TERM:0"], "run[x] r=15:0"),
            (
                "tini x",
                &["MITE_SETSID=1"],
                "run[x] +setsid r=20:19,21:19,22:19",
            ),
            (
                "tini x",
                &["MITE_SIGNAL_ALL=1", "MITE_TIMEOUT=9"],
                "run[x] +signal-all timeout=9",
            ),
            (
                "tini x",
                &["MITE_VERBOSE=1", "TINI_VERBOSITY=0"],
                "run[x] v=0",
            ),
            // MITE_VERBOSE adds to the default level, -v to that.
            ("tini -v x", &["MITE_VERBOSE=2"], "run[x] v=4"),
            (
                "tini x",
                &["DUMB_INIT_DEBUG=1", "CATATONIT_DEBUG=1"],
                "run[x]",
            ),
        ]);
    }

    #[test]
    fn refusals() {
        check(&[
            ("tini", &[], "noprogram"),
            ("tini --", &[], "noprogram"),
            ("tini -s -g", &[], "noprogram"),
            ("tini -x x", &[], "unknown -x"),
            ("tini -sx x", &[], "unknown -x"),
            ("tini -P x", &[], "unknown -P"),
            ("tini -r 1:2 x", &[], "unknown -r"),
            ("tini -V x", &[], "unknown -V"),
            ("tini --help", &[], "unknown --help"),
            ("tini --subreaper x", &[], "unknown --subreaper"),
            (
                "tini --pdeathsig=SIGKILL x",
                &[],
                "unknown --pdeathsig=SIGKILL",
            ),
            ("tini --grace 1 x", &[], "unknown --grace"),
            ("tini --version=1", &[], "unexpected --version"),
            ("tini -p", &[], "missing -p"),
            ("tini -e", &[], "missing -e"),
            ("tini -sp", &[], "missing -p"),
            ("tini -p KILL x", &[], "bad -p KILL"),
            ("tini -p 9 x", &[], "bad -p 9"),
            ("tini -p sigkill x", &[], "bad -p sigkill"),
            ("tini -p SIGkill x", &[], "bad -p SIGkill"),
            ("tini -p SIGRTMIN x", &[], "bad -p SIGRTMIN"),
            ("tini -p SIG x", &[], "bad -p SIG"),
            ("tini -e 256 x", &[], "bad -e 256"),
            ("tini -e x x", &[], "bad -e x"),
            ("tini -e -- x", &[], "bad -e --"),
            (
                "tini x",
                &["TINI_VERBOSITY=loud"],
                "badenv TINI_VERBOSITY=loud",
            ),
            ("tini x", &["TINI_VERBOSITY=-1"], "badenv TINI_VERBOSITY=-1"),
            ("tini", &["TINI_VERBOSITY=x"], "badenv TINI_VERBOSITY=x"),
            ("tini -h", &["TINI_VERBOSITY=x"], "help"),
            ("tini x", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            ("tini --version", &["MITE_PGROUP=2"], "badenv MITE_PGROUP=2"),
        ]);
    }
}
