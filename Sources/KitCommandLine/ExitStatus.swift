/// The exit status of `kit` and `kit-demos`, the one convention of both:
///
/// - 0: the command did its work (a stage that passes, a table printed);
/// - 1: the work failed (a check that fails, code that does not compile, a missing file);
/// - 2: the command line is wrong (unknown command or option, a value of the wrong type);
///   the message comes with the command's usage.
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 2
}
