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

#[cfg(test)]
mod tests {
    use super::{HELP, TABLE};
    use crate::cli::testing::{absolute, check, table_is_sound};

    #[test]
    fn table() {
        table_is_sound(
            TABLE,
            HELP,
            "hcrvV",
            &["help", "single-child", "rewrite", "verbose", "version"],
            &["r"],
        );
    }

    #[test]
    fn defaults() {
        for cmd in ["dumb-init x", "/usr/bin/dumb-init x"] {
            assert_eq!(
                absolute(cmd, &[]),
                "run[x] +setsid +chdir-root r=20:19,21:19,22:19",
                "{cmd}"
            );
        }
    }

    #[test]
    fn every_option() {
        // What -c and DUMB_INIT_SETSID=0 change: no session, and the
        // job-control signals go on as they are.
        const SINGLE: &str = "run[x] -setsid r=20:as-is,21:as-is,22:as-is";
        check(&[
            ("dumb-init -c x", &[], SINGLE),
            ("dumb-init --single-child x", &[], SINGLE),
            ("dumb-init -r 15:3 x", &[], "run[x] r=15:3"),
            ("dumb-init -r15:0 x", &[], "run[x] r=15:0"),
            ("dumb-init --rewrite 1:31 x", &[], "run[x] r=1:31"),
            (
                "dumb-init --rewrite=31:0 -r 2:1 x",
                &[],
                "run[x] r=2:1,31:0",
            ),
            ("dumb-init -r 20:18 x", &[], "run[x] r=20:18"),
            (
                "dumb-init -c -r 20:18 x",
                &[],
                "run[x] -setsid r=20:18,21:as-is,22:as-is",
            ),
            // Digits only, leading zeros as any number.
            ("dumb-init -r 015:03 x", &[], "run[x] r=15:3"),
            ("dumb-init -r 1:00 x", &[], "run[x] r=1:0"),
            ("dumb-init -v x", &[], "run[x] v=3"),
            ("dumb-init --verbose -v x", &[], "run[x] v=3"),
            ("dumb-init -h", &[], "help"),
            ("dumb-init --help", &[], "help"),
            ("dumb-init -V", &[], "version"),
            ("dumb-init --version", &[], "version"),
            ("dumb-init -cV", &[], "version"),
            ("dumb-init -Vx", &[], "version"),
            (
                "dumb-init -cv -- sh -c x",
                &[],
                "run[sh -c x] -setsid v=3 r=20:as-is,21:as-is,22:as-is",
            ),
            (
                "dumb-init -cr 1:2 x",
                &[],
                "run[x] -setsid r=1:2,20:as-is,21:as-is,22:as-is",
            ),
            ("dumb-init sh -c x", &[], "run[sh -c x]"),
            ("dumb-init -- -c", &[], "run[-c]"),
            ("dumb-init - x", &[], "run[- x]"),
        ]);
    }

    #[test]
    fn variables() {
        const SINGLE: &str = "run[x] -setsid r=20:as-is,21:as-is,22:as-is";
        check(&[
            ("dumb-init x", &["DUMB_INIT_SETSID=0"], SINGLE),
            ("dumb-init x", &["DUMB_INIT_SETSID=1"], "run[x]"),
            ("dumb-init x", &["DUMB_INIT_SETSID="], "run[x]"),
            ("dumb-init x", &["DUMB_INIT_SETSID=00"], "run[x]"),
            ("dumb-init x", &["DUMB_INIT_DEBUG=1"], "run[x] v=3"),
            ("dumb-init x", &["DUMB_INIT_DEBUG=0"], "run[x]"),
            ("dumb-init x", &["DUMB_INIT_DEBUG=true"], "run[x]"),
            ("dumb-init x", &["DUMB_INIT_DEBUG"], "run[x]"),
            // MITE_* too, in mite's grammar: names, real-time signals.
            ("dumb-init x", &["MITE_GRACE=5"], "run[x] grace=5"),
            ("dumb-init x", &["MITE_SETSID=0"], SINGLE),
            ("dumb-init x", &["MITE_REWRITE=TERM:QUIT"], "run[x] r=15:3"),
            ("dumb-init x", &["MITE_REWRITE=40:0"], "run[x] r=40:0"),
            (
                "dumb-init -r 15:1 x",
                &["MITE_REWRITE=15:2"],
                "run[x] r=15:1",
            ),
            ("dumb-init x", &["MITE_PGROUP=1"], "run[x] +pgroup"),
            // MITE_VERBOSE adds to the default level; -v shows everything.
            ("dumb-init x", &["MITE_VERBOSE=1"], "run[x] v=2"),
            ("dumb-init -v x", &["MITE_VERBOSE=1"], "run[x] v=3"),
            (
                "dumb-init x",
                &["MITE_VERBOSE=1", "DUMB_INIT_DEBUG=1"],
                "run[x] v=3",
            ),
            (
                "dumb-init x",
                &["TINI_VERBOSITY=x", "CATATONIT_LOG=1"],
                "run[x]",
            ),
        ]);
    }

    #[test]
    fn refusals() {
        check(&[
            ("dumb-init", &[], "noprogram"),
            ("dumb-init --", &[], "noprogram"),
            ("dumb-init -c", &[], "noprogram"),
            ("dumb-init -x x", &[], "unknown -x"),
            ("dumb-init -cx x", &[], "unknown -x"),
            ("dumb-init -s x", &[], "unknown -s"),
            ("dumb-init -g x", &[], "unknown -g"),
            ("dumb-init --bogus x", &[], "unknown --bogus"),
            ("dumb-init --pgroup x", &[], "unknown --pgroup"),
            ("dumb-init --help=1", &[], "unexpected --help"),
            ("dumb-init --version=", &[], "unexpected --version"),
            (
                "dumb-init --single-child=1 x",
                &[],
                "unexpected --single-child",
            ),
            ("dumb-init -r", &[], "missing -r"),
            ("dumb-init -cr", &[], "missing -r"),
            ("dumb-init --rewrite", &[], "missing --rewrite"),
            // dumb-init's numbers only, S 1..31, R 0..31.
            ("dumb-init -r TERM:QUIT x", &[], "bad -r TERM:QUIT"),
            ("dumb-init -r 0:1 x", &[], "bad -r 0:1"),
            ("dumb-init -r 32:1 x", &[], "bad -r 32:1"),
            ("dumb-init -r 15:32 x", &[], "bad -r 15:32"),
            ("dumb-init -r 15:-1 x", &[], "bad -r 15:-1"),
            ("dumb-init -r 15 x", &[], "bad -r 15"),
            ("dumb-init -r 15: x", &[], "bad -r 15:"),
            ("dumb-init -r :3 x", &[], "bad -r :3"),
            ("dumb-init -r '15 :3' x", &[], "bad -r 15 :3"),
            // Digits only (README, a deliberate difference): dumb-init's
            // sscanf("%d:%d") takes these, mite does not.
            ("dumb-init -r ' 15:3x' x", &[], "bad -r  15:3x"),
            ("dumb-init -r +15:-0 x", &[], "bad -r +15:-0"),
            ("dumb-init -r '015: 3' x", &[], "bad -r 015: 3"),
            ("dumb-init -r 15:3:9 x", &[], "bad -r 15:3:9"),
            ("dumb-init -r 15:3x x", &[], "bad -r 15:3x"),
            ("dumb-init -r 00:1 x", &[], "bad -r 00:1"),
            // Nor names, as mite's own -r does.
            ("dumb-init -r TERM:0 x", &[], "bad -r TERM:0"),
            ("dumb-init -r 15:QUIT x", &[], "bad -r 15:QUIT"),
            ("dumb-init --rewrite= x", &[], "bad --rewrite "),
            ("dumb-init -r -- x", &[], "bad -r --"),
            // dumb-init's int wraps (4294967311 is 15 to it); mite's does
            // not: out of range.
            ("dumb-init -r 4294967311:0 x", &[], "bad -r 4294967311:0"),
            ("dumb-init x", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            ("dumb-init -h", &["MITE_SETSID=2"], "badenv MITE_SETSID=2"),
        ]);
    }
}
