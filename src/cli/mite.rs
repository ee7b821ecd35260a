//! mite's own CLI: tini's short options plus long forms, and signals by
//! name (with or without `SIG`, any case), number or `RTMIN+n`.

/// mite's options, packed as `cli::find_opt` reads them.
pub const TABLE: &[u8] = b"s\x01subreaper\0p\x82pdeathsig\0g\x05pgroup\0e\x86remap-exit\0\
v\x03verbose\0w\x04warn-reap\0l\x07license\0h\x08help\0\0\x09version\0";

/// `--help` for both personalities (\x01 is the name mite was called by).
/// The parts between \x06 and \x07 (long option names) are printed only
/// when the second argument is not empty: the mite personality passes one,
/// the tini personality, which has no long options, does not.
pub const HELP: &[u8] = concat!(
    "usage: \x01 [OPTIONS] [--] PROGRAM [ARGS...]  (mite ",
    env!("CARGO_PKG_VERSION"),
    ")\n\
     \x20-s\tsubreaper: reap orphans when not PID 1\x06 [--subreaper]\x07\n\
     \x20-p SIG\tget SIG (SIGKILL\x06, KILL, 9\x07) when the parent dies\x06 [--pdeathsig]\x07\n\
     \x20-g\tsignal the child's process group\x06 [--pgroup]\x07\n\
     \x20-e N\texit 0 for status N (repeatable)\x06 [--remap-exit]\x07\n\
     \x20-v\tmore messages\x06 [--verbose]\x07\n\
     \x20-w\twarn for each zombie reaped\x06 [--warn-reap]\x07\n\
     \x20-l, -h\tlicense, help\x06 [--license, --help]\x07\n\
     \x20--version\n\
     env: TINI_SUBREAPER (-s), TINI_KILL_PROCESS_GROUP (-g), TINI_VERBOSITY=0|1|2\n\
     exit: the child's status, 128+N for signal N, 127/126 not found/executable, 1 usage\n"
)
.as_bytes();

#[cfg(test)]
mod tests {
    use crate::cli::{parse, Command, Config, Personality, UsageError};
    use crate::sys::OwnedArgv;

    fn run(cmd: &str, env: &[&str], f: impl FnOnce(Result<Command, UsageError<'_>>)) {
        let a = OwnedArgv::words(cmd);
        let e = OwnedArgv::new(env);
        let mut cfg = Config::new(Personality::Mite, a.argv());
        f(parse(a.argv(), e.argv(), &mut cfg))
    }

    fn config(cmd: &str, env: &[&str], f: impl FnOnce(&Config<'_>, Vec<String>)) {
        let a = OwnedArgv::words(cmd);
        let e = OwnedArgv::new(env);
        let mut c = Config::new(Personality::Mite, a.argv());
        match parse(a.argv(), e.argv(), &mut c) {
            Ok(Command::Run) => {
                let child = c
                    .child
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect();
                f(&c, child)
            }
            r => panic!("{cmd}: {r:?}"),
        }
    }

    fn error(cmd: &str) -> String {
        let mut s = String::new();
        run(cmd, &[], |r| match r {
            Err(e) => s = format!("{e:?}"),
            Ok(_) => panic!("{cmd}: accepted"),
        });
        s
    }

    #[test]
    fn defaults() {
        config("mite true", &[], |c, child| {
            assert_eq!(child, ["true"]);
            assert!(!c.subreaper && !c.pgroup && !c.warn_reap);
            assert_eq!(c.pdeathsig, None);
            assert_eq!(c.verbosity, 1);
            assert_eq!(c.personality, Personality::Mite);
        });
    }

    #[test]
    fn short_and_long_forms() {
        for cmd in [
            "mite -s -g -w -v -p KILL -e 143 -- sh -c x",
            "mite -sgwv -pKILL -e143 sh -c x",
            "mite -sgwvpKILL -e 143 sh -c x",
            "mite --subreaper --pgroup --warn-reap --verbose --pdeathsig KILL --remap-exit=143 -- sh -c x",
            "mite --subreaper --pgroup --warn-reap --verbose --pdeathsig=SIGKILL --remap-exit 143 sh -c x",
            "mite -s -g -w -v -p 9 -e 143 sh -c x",
        ] {
            config(cmd, &[], |c, child| {
                assert_eq!(child, ["sh", "-c", "x"], "{cmd}");
                assert!(c.subreaper && c.pgroup && c.warn_reap, "{cmd}");
                assert_eq!(c.verbosity, 2);
                assert_eq!(c.pdeathsig.map(|s| s.get()), Some(9));
                assert!(c.remap.contains(143));
                assert!(!c.remap.contains(0));
            });
        }
    }

    #[test]
    fn options_end_at_first_program_word_or_double_dash() {
        config("mite sh -s -g", &[], |c, child| {
            assert_eq!(child, ["sh", "-s", "-g"]);
            assert!(!c.subreaper && !c.pgroup);
        });
        config("mite -- -s", &[], |_, child| assert_eq!(child, ["-s"]));
        config("mite -- --", &[], |_, child| assert_eq!(child, ["--"]));
        config("mite - x", &[], |_, child| assert_eq!(child, ["-", "x"]));
    }

    #[test]
    fn environment() {
        config(
            "mite x",
            &[
                "TINI_SUBREAPER=",
                "TINI_KILL_PROCESS_GROUP=1",
                "TINI_VERBOSITY=3",
            ],
            |c, _| {
                assert!(c.subreaper && c.pgroup);
                assert_eq!(c.verbosity, 3);
            },
        );
        config("mite -v -v x", &["TINI_VERBOSITY=0"], |c, _| {
            assert_eq!(c.verbosity, 0)
        });
    }

    #[test]
    fn early_commands() {
        run("mite -h", &[], |r| assert!(r == Ok(Command::Help)));
        run("mite --help --bogus", &[], |r| {
            assert!(r == Ok(Command::Help))
        });
        run("mite --version", &[], |r| {
            assert!(r == Ok(Command::Version))
        });
        run("mite -l", &[], |r| assert!(r == Ok(Command::License)));
        run("mite -s --license x", &[], |r| {
            assert!(r == Ok(Command::License))
        });
    }

    #[test]
    fn bad_input() {
        assert_eq!(error("mite"), "NoProgram");
        assert_eq!(error("mite -s"), "NoProgram");
        assert_eq!(error("mite --"), "NoProgram");
        assert!(error("mite -x true").starts_with("UnknownOption"));
        assert!(error("mite -sx true").contains("[120]"));
        assert!(error("mite --bogus true").starts_with("UnknownOption"));
        assert!(error("mite --pgroup=1 true").starts_with("UnexpectedValue"));
        assert!(error("mite -p").starts_with("MissingValue"));
        assert!(error("mite --pdeathsig").starts_with("MissingValue"));
        assert!(error("mite -p FOO true").starts_with("BadValue"));
        assert!(error("mite -p 0 true").starts_with("BadValue"));
        assert!(error("mite -p 65 true").starts_with("BadValue"));
        assert!(error("mite -e 256 true").starts_with("BadValue"));
        assert!(error("mite -e -1 true").starts_with("BadValue"));
        assert!(error("mite -e x true").starts_with("BadValue"));
        assert!(error("mite --remap-exit= true").starts_with("BadValue"));
        let mut e = String::new();
        run("mite x", &["TINI_VERBOSITY=loud"], |r| {
            e = format!("{:?}", r.err().unwrap())
        });
        assert!(e.starts_with("BadEnv"));
    }
}
