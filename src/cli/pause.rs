//! The Kubernetes pause personality (`build/pause/linux/pause.c`): no
//! options, no program; any argument `-v` (any case) asks for the version.

use super::Command;
use crate::signal::Signal;
use crate::sys::Argv;

/// `Some(Version)` if an argument is `-v` in any case (pause.c), or
/// `--version` (what Docker runs its init-path with), else `None`: run.
pub fn parse(argv: Argv<'_>) -> Option<Command> {
    (1..argv.len())
        .any(|i| matches!(argv.get(i), Some([b'-', b'v' | b'V'] | b"--version")))
        .then_some(Command::Version)
}

/// What psignal(3) says for the two signals that end a pause.
pub fn describe(sig: Signal) -> &'static [u8] {
    if sig == Signal::INT {
        b"Interrupt"
    } else {
        b"Terminated"
    }
}

#[cfg(test)]
mod tests {
    use super::describe;
    use crate::cli::testing::{absolute, check};
    use crate::signal::Signal;

    #[test]
    fn defaults() {
        for cmd in ["pause", "/pause", "./pause x y"] {
            assert_eq!(absolute(cmd, &[]), "run[] +pause", "{cmd}");
        }
    }

    #[test]
    fn arguments() {
        check(&[
            // No options, no program: words are ignored...
            ("pause x y", &[], "run[]"),
            ("pause --v", &[], "run[]"),
            ("pause -vv", &[], "run[]"),
            ("pause -h", &[], "run[]"),
            ("pause --help", &[], "run[]"),
            ("pause --versions", &[], "run[]"),
            ("pause -x", &[], "run[]"),
            // ... but -v, in any case, anywhere...
            ("pause -v", &[], "version"),
            ("pause -V", &[], "version"),
            ("pause x -v", &[], "version"),
            ("pause -- -V", &[], "version"),
            // ... and --version (README: Docker's version probe of its
            // init; pause.c itself would pause).
            ("pause --version", &[], "version"),
            ("pause x --version y", &[], "version"),
        ]);
    }

    #[test]
    fn variables() {
        check(&[
            ("pause", &["MITE_GRACE=5"], "run[] grace=5"),
            ("pause", &["MITE_VERBOSE=2"], "run[] v=3"),
            ("pause", &["MITE_PAUSE=1"], "run[]"),
            ("pause", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            ("pause -v", &["MITE_GRACE=x"], "badenv MITE_GRACE=x"),
            // Pause mode off: there is no program to run instead.
            ("pause", &["MITE_PAUSE=0"], "noprogram"),
            ("pause x", &["MITE_PAUSE=0"], "noprogram"),
            // No other reference's variables.
            (
                "pause",
                &["TINI_VERBOSITY=x", "CATATONIT_LOG=1", "DUMB_INIT_SETSID=0"],
                "run[]",
            ),
        ]);
    }

    #[test]
    fn signal_names_as_psignal_says() {
        assert_eq!(describe(Signal::INT), b"Interrupt");
        assert_eq!(describe(Signal::TERM), b"Terminated");
    }
}
