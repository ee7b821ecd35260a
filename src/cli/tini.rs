//! The tini 0.19 personality: tini's options (short only), its environment
//! variables and its messages.

/// tini's options, packed as `cli::find_opt` reads them: the short ones and
/// `--version`.
pub const TABLE: &[u8] = b"s\x01\0p\x82\0g\x05\0e\x86\0v\x03\0w\x04\0l\x07\0h\x08\0\0\x09version\0";

#[cfg(test)]
mod tests {
    use crate::cli::{parse, Command, Config, Personality};
    use crate::sys::OwnedArgv;

    fn parsed(cmd: &str) -> String {
        let a = OwnedArgv::words(cmd);
        let e = OwnedArgv::new::<&str>(&[]);
        let mut c = Config::new(Personality::Tini, a.argv());
        match parse(a.argv(), e.argv(), &mut c) {
            Ok(Command::Run) => {
                let child: Vec<String> = c
                    .child
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect();
                format!(
                    "s={} g={} w={} v={} p={:?} e143={} {:?}",
                    c.subreaper as u8,
                    c.pgroup as u8,
                    c.warn_reap as u8,
                    c.verbosity,
                    c.pdeathsig.map(|s| s.get()),
                    c.remap.contains(143),
                    child
                )
            }
            Ok(Command::Help) => "help".into(),
            Ok(Command::Version) => "version".into(),
            Ok(Command::License) => "license".into(),
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn options() {
        assert_eq!(
            parsed("tini -s -g -w -v -p SIGKILL -e 143 -- sh -c x"),
            "s=1 g=1 w=1 v=2 p=Some(9) e143=true [\"sh\", \"-c\", \"x\"]"
        );
        assert_eq!(
            parsed("docker-init -- true"),
            "s=0 g=0 w=0 v=1 p=None e143=false [\"true\"]"
        );
        assert_eq!(
            parsed("tini -pSIGTERM true"),
            "s=0 g=0 w=0 v=1 p=Some(15) e143=false [\"true\"]"
        );
    }

    #[test]
    fn strict_signal_names() {
        assert!(parsed("tini -p KILL true").starts_with("BadValue"));
        assert!(parsed("tini -p 9 true").starts_with("BadValue"));
        assert!(parsed("tini -p sigkill true").starts_with("BadValue"));
    }

    #[test]
    fn version_is_a_long_option() {
        assert_eq!(parsed("tini --version"), "version");
        assert_eq!(parsed("podman-init --version"), "version");
        assert_eq!(parsed("tini --version x"), "version");
        assert_eq!(parsed("tini -s --version"), "version");
        assert!(parsed("tini --version=1").starts_with("UnexpectedValue"));
        assert!(parsed("tini --help").starts_with("UnknownOption"));
        assert_eq!(parsed("tini -h"), "help");
        assert_eq!(parsed("tini -l"), "license");
    }

    #[test]
    fn errors() {
        assert_eq!(parsed("tini"), "NoProgram");
        assert_eq!(parsed("tini --"), "NoProgram");
        assert!(parsed("tini -x true").starts_with("UnknownOption"));
        assert!(parsed("tini -e").starts_with("MissingValue"));
        assert!(parsed("tini -e 300 true").starts_with("BadValue"));
    }
}
