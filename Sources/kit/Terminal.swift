import Foundation

/// How output looks: ✓ ✗ and bars always; colour only on a terminal, and
/// never when `NO_COLOR` is set (https://no-color.org).
struct Terminal: Sendable {
    let colour: Bool

    static let standard: Terminal = {
        let environment = ProcessInfo.processInfo.environment
        let colour = isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return Terminal(colour: colour)
    }()

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func green(_ text: String) -> String { paint(text, "32") }
    func red(_ text: String) -> String { paint(text, "31") }
    func yellow(_ text: String) -> String { paint(text, "33") }
    func cyan(_ text: String) -> String { paint(text, "36") }
    func bold(_ text: String) -> String { paint(text, "1") }
    func dim(_ text: String) -> String { paint(text, "2") }

    var pass: String { green("✓") }
    var fail: String { red("✗") }

    /// `[██████░░░░░░░░]`, `fraction` of `width` filled.
    func bar(_ fraction: Double, width: Int = 24) -> String {
        let filled = max(0, min(width, Int((fraction * Double(width)).rounded())))
        return "[" + green(String(repeating: "█", count: filled)) + String(repeating: "░", count: width - filled) + "]"
    }
}

/// Prints a line to standard output, unbuffered, so that it comes in order with
/// the output of the commands kit runs. (Shadows `Swift.print` in this module.)
func print(_ text: String = "") {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
