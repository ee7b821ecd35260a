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

#[cfg(test)]
mod tests {
    use super::{HELP, TABLE};
    use crate::cli::testing::{absolute, check, has_word, parsed, table_is_sound, unpacked};
    use crate::cli::{opt, options};

    #[test]
    fn table() {
        table_is_sound(
            TABLE,
            HELP,
            "spgrePvwlh",
            &[
                "subreaper",
                "pdeathsig",
                "pgroup",
                "signal-all",
                "rewrite",
                "setsid",
                "remap-exit",
                "grace",
                "drain-signal",
                "timeout",
                "timeout-signal",
                "pause",
                "verbose",
                "warn-reap",
                "license",
                "help",
                "version",
            ],
            &[
                "p",
                "r",
                "e",
                "grace",
                "drain-signal",
                "timeout",
                "timeout-signal",
            ],
        );
    }

    /// The help names each option's variable (`MITE_` and the long name,
    /// `cli::from_env`), but for those that answer by themselves.
    #[test]
    fn help_names_every_variable() {
        let help = unpacked(HELP);
        let mut n = 0;
        for o in options(TABLE).filter(|o| o.code & !opt::VALUE < opt::HELP) {
            let var = format!("MITE_{}", String::from_utf8_lossy(o.long))
                .to_uppercase()
                .replace('-', "_");
            assert!(has_word(&help, &var), "{var} not in the help:\n{help}");
            n += 1;
        }
        assert_eq!(n, 14);
        for var in [
            "TINI_SUBREAPER",
            "TINI_KILL_PROCESS_GROUP",
            "TINI_VERBOSITY",
        ] {
            assert!(has_word(&help, var), "{var} not in the help:\n{help}");
        }
    }

    #[test]
    fn defaults() {
        // Any name but the references' is mite.
        for cmd in [
            "mite x",
            "/usr/local/bin/mite x",
            "init x",
            "tini2 x",
            "/tini/x x",
        ] {
            assert_eq!(
                absolute(cmd, &[]),
                "run[x] reaper=soft +warn-no-reaper +own-group +close-fds +listen-pid \
                 +chdir-root grace=3",
                "{cmd}"
            );
        }
    }

    #[test]
    fn every_option_in_every_form() {
        check(&[
            ("mite -s x", &[], "run[x] reaper=hard"),
            ("mite --subreaper x", &[], "run[x] reaper=hard"),
            ("mite -p KILL x", &[], "run[x] p=9"),
            ("mite -pkill x", &[], "run[x] p=9"),
            ("mite --pdeathsig SIGKILL x", &[], "run[x] p=9"),
            ("mite --pdeathsig=9 x", &[], "run[x] p=9"),
            ("mite -p 64 x", &[], "run[x] p=64"),
            ("mite -p 010 x", &[], "run[x] p=10"),
            ("mite -g x", &[], "run[x] +pgroup"),
            ("mite --pgroup x", &[], "run[x] +pgroup"),
            ("mite --signal-all x", &[], "run[x] +signal-all"),
            ("mite -r TERM:QUIT x", &[], "run[x] r=15:3"),
            ("mite -rsigterm:0 x", &[], "run[x] r=15:0"),
            ("mite --rewrite 34:USR1 x", &[], "run[x] r=34:10"),
            (
                "mite --rewrite=1:2 -r 64:1 -r 1:3 x",
                &[],
                "run[x] r=1:3,64:1",
            ),
            ("mite --setsid x", &[], "run[x] +setsid r=20:19,21:19,22:19"),
            (
                "mite --setsid -r TSTP:0 -r ttin:cont x",
                &[],
                "run[x] +setsid r=20:0,21:18,22:19",
            ),
            ("mite -e 143 x", &[], "run[x] e=143"),
            (
                "mite -e0 --remap-exit=255 --remap-exit 003 x",
                &[],
                "run[x] e=0,3,255",
            ),
            ("mite --grace 0 x", &[], "run[x] grace=0"),
            ("mite --grace=16777216 x", &[], "run[x] grace=16777216"),
            ("mite --drain-signal 0 x", &[], "run[x] drain=none"),
            ("mite --drain-signal=KILL x", &[], "run[x] drain=9"),
            ("mite --timeout 5 x", &[], "run[x] timeout=5"),
            ("mite --timeout=0 x", &[], "run[x]"),
            ("mite --timeout-signal int x", &[], "run[x] tsig=2"),
            ("mite -P", &[], "run[] +pause"),
            ("mite --pause", &[], "run[] +pause"),
            ("mite -v x", &[], "run[x] v=2"),
            ("mite -vvv --verbose x", &[], "run[x] v=5"),
            ("mite -w x", &[], "run[x] +warn-reap"),
            ("mite --warn-reap x", &[], "run[x] +warn-reap"),
            ("mite -l", &[], "license"),
            ("mite --license x", &[], "license"),
            ("mite -h", &[], "help"),
            ("mite --help", &[], "help"),
            ("mite --version", &[], "version"),
            ("mite -s --version x", &[], "version"),
            ("mite --help --bogus", &[], "help"),
            ("mite -hx", &[], "help"),
            ("mite -xh", &[], "unknown -x"),
        ]);
    }

    #[test]
    fn bundles_and_where_the_program_starts() {
        check(&[
            (
                "mite -sgwv x",
                &[],
                "run[x] reaper=hard +warn-reap +pgroup v=2",
            ),
            ("mite -sgpKILL x", &[], "run[x] reaper=hard +pgroup p=9"),
            ("mite -gp KILL x", &[], "run[x] +pgroup p=9"),
            ("mite -se143 x", &[], "run[x] reaper=hard e=143"),
            ("mite -vr1:2 x", &[], "run[x] v=2 r=1:2"),
            ("mite sh -s -g", &[], "run[sh -s -g]"),
            ("mite -g sh -c 'echo -s'", &[], "run[sh -c echo -s] +pgroup"),
            ("mite -- -s", &[], "run[-s]"),
            ("mite -- --", &[], "run[--]"),
            ("mite - x", &[], "run[- x]"),
            ("mite '' x", &[], "run[ x]"),
            ("mite -g -- sh -c x", &[], "run[sh -c x] +pgroup"),
            // A value is the next word, whatever it looks like.
            ("mite -e -- x", &[], "bad -e --"),
            ("mite -p -s x", &[], "bad -p -s"),
            ("mite --grace -- x", &[], "bad --grace --"),
            ("mite --rewrite -s x", &[], "bad --rewrite -s"),
        ]);
    }

    #[test]
    fn every_variable() {
        check(&[
            ("mite x", &["MITE_SUBREAPER=1"], "run[x] reaper=hard"),
            ("mite x", &["MITE_SUBREAPER=0"], "run[x] reaper=off"),
            ("mite x", &["MITE_PDEATHSIG=kill"], "run[x] p=9"),
            ("mite x", &["MITE_PGROUP=1"], "run[x] +pgroup"),
            ("mite x", &["MITE_SIGNAL_ALL=1"], "run[x] +signal-all"),
            (
                "mite x",
                &["MITE_REWRITE=TERM:QUIT,HUP:0"],
                "run[x] r=1:0,15:3",
            ),
            ("mite x", &["MITE_REWRITE=64:0"], "run[x] r=64:0"),
            (
                "mite x",
                &["MITE_SETSID=1"],
                "run[x] +setsid r=20:19,21:19,22:19",
            ),
            ("mite x", &["MITE_REMAP_EXIT=1,2"], "run[x] e=1,2"),
            ("mite x", &["MITE_GRACE=10"], "run[x] grace=10"),
            ("mite x", &["MITE_DRAIN_SIGNAL=0"], "run[x] drain=none"),
            ("mite x", &["MITE_DRAIN_SIGNAL=hup"], "run[x] drain=1"),
            ("mite x", &["MITE_TIMEOUT=3"], "run[x] timeout=3"),
            ("mite x", &["MITE_TIMEOUT_SIGNAL=KILL"], "run[x] tsig=9"),
            ("mite", &["MITE_PAUSE=1"], "run[] +pause"),
            ("mite x", &["MITE_VERBOSE=2"], "run[x] v=3"),
            ("mite x", &["MITE_VERBOSE=0"], "run[x]"),
            ("mite x", &["MITE_WARN_REAP=1"], "run[x] +warn-reap"),
            (
                "mite x",
                &[
                    "MITE_WARN_REAP=0",
                    "MITE_PGROUP=0",
                    "MITE_PAUSE=0",
                    "MITE_SETSID=0",
                ],
                "run[x]",
            ),
            // Each entry in turn: the last one of a name wins.
            (
                "mite x",
                &["MITE_GRACE=1", "MITE_GRACE=2"],
                "run[x] grace=2",
            ),
            ("mite x", &["MITE_PGROUP=1", "MITE_PGROUP=0"], "run[x]"),
            // The command line wins.
            ("mite --grace 1 x", &["MITE_GRACE=10"], "run[x] grace=1"),
            ("mite -s x", &["MITE_SUBREAPER=0"], "run[x] reaper=hard"),
            ("mite -v x", &["MITE_VERBOSE=2"], "run[x] v=4"),
            ("mite -e 3 x", &["MITE_REMAP_EXIT=1"], "run[x] e=1,3"),
            ("mite -r HUP:INT x", &["MITE_REWRITE=HUP:0"], "run[x] r=1:2"),
            (
                "mite --drain-signal INT x",
                &["MITE_DRAIN_SIGNAL=0"],
                "run[x] drain=2",
            ),
            // Not mite's variables.
            (
                "mite x",
                &[
                    "MITE_BOGUS=1",
                    "MITE_grace=x",
                    "MITE_HELP=1",
                    "MITE_VERSION=x",
                    "MITE_LICENSE=1",
                    "MITE_=",
                    "MITE_GRACE_=x",
                    "XMITE_GRACE=x",
                    "MITE_SINGLE_CHILD=1",
                ],
                "run[x]",
            ),
            // tini's, as for tini.
            ("mite x", &["TINI_SUBREAPER="], "run[x] reaper=hard"),
            ("mite x", &["TINI_KILL_PROCESS_GROUP=0"], "run[x] +pgroup"),
            ("mite -vv x", &["TINI_VERBOSITY=0"], "run[x] v=0"),
            ("mite x", &["MITE_VERBOSE=3", "TINI_VERBOSITY=1"], "run[x]"),
            ("mite x", &["TINI_SUBREAPER", "TINI_VERBOSITY"], "run[x]"),
            // Other references' are not.
            (
                "mite x",
                &["DUMB_INIT_SETSID=0", "CATATONIT_LOG=1"],
                "run[x]",
            ),
        ]);
    }

    #[test]
    fn refusals() {
        check(&[
            ("mite", &[], "noprogram"),
            ("mite -s", &[], "noprogram"),
            ("mite --", &[], "noprogram"),
            ("mite -g -e 1 --", &[], "noprogram"),
            ("mite -x x", &[], "unknown -x"),
            ("mite -sx x", &[], "unknown -x"),
            ("mite -s- x", &[], "unknown --"),
            ("mite -V x", &[], "unknown -V"),
            ("mite -c x", &[], "unknown -c"),
            ("mite -L x", &[], "unknown -L"),
            ("mite --bogus x", &[], "unknown --bogus"),
            ("mite --bogus=1 x", &[], "unknown --bogus=1"),
            ("mite --sub x", &[], "unknown --sub"),
            ("mite --single-child x", &[], "unknown --single-child"),
            ("mite --= x", &[], "unknown --="),
            ("mite --- x", &[], "unknown ---"),
            ("mite --pgroup=1 x", &[], "unexpected --pgroup"),
            ("mite --subreaper= x", &[], "unexpected --subreaper"),
            ("mite --help=", &[], "unexpected --help"),
            ("mite --version=1", &[], "unexpected --version"),
            ("mite -p", &[], "missing -p"),
            ("mite --pdeathsig", &[], "missing --pdeathsig"),
            ("mite -r", &[], "missing -r"),
            ("mite --rewrite", &[], "missing --rewrite"),
            ("mite -e", &[], "missing -e"),
            ("mite -se", &[], "missing -e"),
            ("mite --remap-exit", &[], "missing --remap-exit"),
            ("mite --grace", &[], "missing --grace"),
            ("mite --drain-signal", &[], "missing --drain-signal"),
            ("mite --timeout", &[], "missing --timeout"),
            ("mite --timeout-signal", &[], "missing --timeout-signal"),
            ("mite -p FOO x", &[], "bad -p FOO"),
            ("mite -p 0 x", &[], "bad -p 0"),
            ("mite -p 65 x", &[], "bad -p 65"),
            ("mite -p '' x", &[], "bad -p "),
            ("mite -p ' TERM' x", &[], "bad -p  TERM"),
            ("mite --pdeathsig=RTMIN+1 x", &[], "bad --pdeathsig RTMIN+1"),
            ("mite -e 256 x", &[], "bad -e 256"),
            ("mite -e -1 x", &[], "bad -e -1"),
            ("mite -e 1x x", &[], "bad -e 1x"),
            ("mite --remap-exit= x", &[], "bad --remap-exit "),
            ("mite -r TERM x", &[], "bad -r TERM"),
            ("mite -r 0:1 x", &[], "bad -r 0:1"),
            ("mite -r TERM:65 x", &[], "bad -r TERM:65"),
            ("mite -r :QUIT x", &[], "bad -r :QUIT"),
            ("mite -r TERM: x", &[], "bad -r TERM:"),
            ("mite -r TERM:QUIT:X x", &[], "bad -r TERM:QUIT:X"),
            ("mite -r 'TERM: QUIT' x", &[], "bad -r TERM: QUIT"),
            ("mite --grace x x", &[], "bad --grace x"),
            ("mite --grace 16777217 x", &[], "bad --grace 16777217"),
            ("mite --grace -1 x", &[], "bad --grace -1"),
            ("mite --grace= x", &[], "bad --grace "),
            ("mite --timeout 1.5 x", &[], "bad --timeout 1.5"),
            ("mite --drain-signal NOPE x", &[], "bad --drain-signal NOPE"),
            ("mite --timeout-signal 0 x", &[], "bad --timeout-signal 0"),
        ]);
    }

    #[test]
    fn refused_variables() {
        check(&[
            (
                "mite x",
                &["MITE_SUBREAPER=yes"],
                "badenv MITE_SUBREAPER=yes",
            ),
            ("mite x", &["MITE_PGROUP="], "badenv MITE_PGROUP="),
            ("mite x", &["MITE_SETSID= 1"], "badenv MITE_SETSID= 1"),
            (
                "mite x",
                &["MITE_SIGNAL_ALL=on"],
                "badenv MITE_SIGNAL_ALL=on",
            ),
            ("mite x", &["MITE_PAUSE=true"], "badenv MITE_PAUSE=true"),
            ("mite x", &["MITE_WARN_REAP=2"], "badenv MITE_WARN_REAP=2"),
            (
                "mite x",
                &["MITE_PDEATHSIG=SIGFOO"],
                "badenv MITE_PDEATHSIG=SIGFOO",
            ),
            (
                "mite x",
                &["MITE_REWRITE=15:3,"],
                "badenv MITE_REWRITE=15:3,",
            ),
            ("mite x", &["MITE_REWRITE="], "badenv MITE_REWRITE="),
            (
                "mite x",
                &["MITE_REMAP_EXIT=256"],
                "badenv MITE_REMAP_EXIT=256",
            ),
            (
                "mite x",
                &["MITE_REMAP_EXIT=1;2"],
                "badenv MITE_REMAP_EXIT=1;2",
            ),
            ("mite x", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            (
                "mite x",
                &["MITE_DRAIN_SIGNAL=-1"],
                "badenv MITE_DRAIN_SIGNAL=-1",
            ),
            ("mite x", &["MITE_TIMEOUT=1e3"], "badenv MITE_TIMEOUT=1e3"),
            (
                "mite x",
                &["MITE_TIMEOUT_SIGNAL=0"],
                "badenv MITE_TIMEOUT_SIGNAL=0",
            ),
            ("mite x", &["MITE_VERBOSE=-1"], "badenv MITE_VERBOSE=-1"),
            ("mite x", &["MITE_VERBOSE=x"], "badenv MITE_VERBOSE=x"),
            // An entry without `=` is the variable with an empty value.
            ("mite x", &["MITE_GRACE"], "badenv MITE_GRACE="),
            // The environment is read first: it is refused even with -h.
            ("mite -h", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            ("mite --grace 1 x", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            ("mite -x", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            // The first bad one is named.
            (
                "mite x",
                &["MITE_GRACE=x", "MITE_TIMEOUT=y"],
                "badenv MITE_GRACE=x",
            ),
            (
                "mite x",
                &["TINI_VERBOSITY=loud"],
                "badenv TINI_VERBOSITY=loud",
            ),
            ("mite x", &["TINI_VERBOSITY="], "badenv TINI_VERBOSITY="),
            (
                "mite x",
                &["TINI_VERBOSITY=4294967296"],
                "badenv TINI_VERBOSITY=4294967296",
            ),
            // tini's variables are read after the options, as tini does.
            ("mite -h", &["TINI_VERBOSITY=loud"], "help"),
            ("mite -x", &["TINI_VERBOSITY=loud"], "unknown -x"),
        ]);
    }

    /// The variables of options that take one value take one value: only
    /// MITE_REWRITE and MITE_REMAP_EXIT are lists (issue 9; `mite -h`:
    /// "lists (-r, -e) comma-separated").
    #[test]
    fn single_value_variables_take_no_list() {
        for (var, value) in [
            ("MITE_GRACE", "1,2"),
            ("MITE_TIMEOUT", "5,0"),
            ("MITE_PDEATHSIG", "TERM,KILL"),
            ("MITE_DRAIN_SIGNAL", "0,TERM"),
            ("MITE_TIMEOUT_SIGNAL", "INT,KILL"),
        ] {
            let entry = format!("{var}={value}");
            assert_eq!(
                parsed("mite x", &[&entry]),
                format!("badenv {entry}"),
                "{entry} is no single value"
            );
        }
    }
}
