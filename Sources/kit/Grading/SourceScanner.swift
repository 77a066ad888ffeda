import Foundation

/// Finds what a graded file may not contain: ways to reach the reference
/// solutions or anything outside the grading copy. Comments and the text of
/// string literals are not code and are skipped (code inside `\( … )` is not).
///
/// The rules, and why (docs/instructors.md repeats them):
/// - imports: only the modules an exercise needs — `Foundation`, `NeuralKit`,
///   the C library for math (`Glibc`, `Musl`, `Darwin`), `Dispatch` and `Swift`.
///   Anything else (`Solutions`, `Testing`, `Exercises`, a C module) is refused.
/// - the name `Solutions`, anywhere: the reference module.
/// - underscored attributes (`@_silgen_name`, `@_cdecl`, `@_dynamicReplacement`,
///   `@_extern`, …): they bind to symbols by name, around the module system.
/// - dynamic lookup of code by name: `dlopen`, `dlsym`, `dladdr`, `NSClassFromString`,
///   `_typeByName`, `unsafeBitCast` (turns a looked-up address into a function).
/// - processes and signals: `Process`, `NSTask`, `posix_spawn`, `fork`, `exec…`,
///   `system`, `popen`, `kill`, `signal`, `setrlimit`, …
/// - files, the environment and the network: `FileManager`, `FileHandle`,
///   `fopen`, `open(…)`, `contentsOf:`, `.write(to:)`, `getenv`, `ProcessInfo`,
///   `CommandLine`, `Bundle`, `URLSession`, `socket`, …: an exercise computes
///   with tensors; it never needs a file, and the salt of the grading run is
///   in the environment.
struct SourceScanner {
    /// A construct the file may not contain.
    struct Finding: Equatable, CustomStringConvertible {
        let line: Int
        let construct: String
        let reason: String
        /// The file it is in, in the stage's folder ("Conv2D.swift"): the grader sets it, `scan` does not know it.
        var file: String? = nil
        var description: String { "line \(line): \(construct) — \(reason)" }
    }

    static let allowedImports: Set<String> = [
        "Foundation", "NeuralKit", "Swift", "Glibc", "Musl", "Darwin", "Dispatch",
    ]

    /// Names refused wherever they appear, except as a member of something else
    /// (`x.environ` is the student's own): types, modules and C functions that
    /// no exercise has a reason to name.
    static let forbiddenNames: [String: String] = {
        var names: [String: String] = ["Solutions": "the reference solutions are not yours to use"]
        let lookup = "looks code up by name, around the module system"
        for name in [
            "dlopen", "dlsym", "dlvsym", "dladdr", "dlclose", "NSClassFromString", "_typeByName",
            "unsafeBitCast", "objc_getClass", "RTLD_DEFAULT", "RTLD_NEXT",
        ] {
            names[name] = lookup
        }
        let processes = "starts processes or sends signals"
        for name in [
            "Process", "NSTask", "posix_spawn", "posix_spawnp", "fork", "vfork", "execv", "execve", "execvp",
            "execl", "execlp", "execle", "popen", "kill", "killpg", "sigaction", "setrlimit", "setpgid",
            "setsid", "ptrace", "getppid", "pthread_kill",
        ] {
            names[name] = processes
        }
        let files = "reaches files, the environment or the network, which an exercise never needs"
        for name in [
            "FileManager", "FileHandle", "NSFileManager", "NSFileHandle", "fopen", "freopen", "fdopen",
            "creat", "openat", "unlink", "unlinkat", "rmdir", "mkdir", "symlink", "chdir", "chmod",
            "ftruncate", "opendir", "readdir", "getenv", "setenv", "unsetenv", "putenv", "environ",
            "ProcessInfo", "NSProcessInfo", "CommandLine", "Bundle", "URLSession", "NSURLSession",
            "socket", "InputStream", "OutputStream", "mmap", "dup2", "UserDefaults",
        ] {
            names[name] = files
        }
        return names
    }()

    /// Names refused only as a call `name(`, not as a member (`array.remove(at:)`):
    /// they are also ordinary words a student may use for a variable.
    static let forbiddenCalls: [String: String] = [
        "open": "opens files", "remove": "deletes files", "rename": "renames files", "link": "links files",
        "truncate": "truncates files", "write": "writes to files", "read": "reads files", "close": "closes files",
        "pipe": "opens pipes", "connect": "opens connections", "system": "starts processes",
        "signal": "installs signal handlers", "raise": "sends signals", "exit": "ends the test process",
        "_exit": "ends the test process", "abort": "ends the test process",
    ]

    /// The modules whose members are the C library's functions (`Glibc.kill(…)`).
    static let systemModules: Set<String> = ["Glibc", "Musl", "Darwin", "Foundation"]

    /// Argument labels that read or write files (`Data(contentsOf:)`, `s.write(toFile:)`).
    static let forbiddenLabels: [String: String] = [
        "contentsOf": "reads files", "contentsOfFile": "reads files", "toFile": "writes files",
        "contentsOfURL": "reads files", "atPath": "reaches files",
    ]

    static func scan(_ source: String) -> [Finding] {
        let tokens = tokenize(source)
        var findings: [Finding] = []
        func add(_ line: Int, _ construct: String, _ reason: String) {
            if !findings.contains(where: { $0.line == line && $0.construct == construct }) {
                findings.append(Finding(line: line, construct: construct, reason: reason))
            }
        }
        // The file's own functions may have ordinary names (`func read(...)`): calling them is fine.
        let declared = Set(tokens.indices.dropLast().filter { tokens[$0].text == "func" }.map { tokens[$0 + 1].text })
        for (index, token) in tokens.enumerated() {
            let previous = index > 0 ? tokens[index - 1].text : ""
            let next = index + 1 < tokens.count ? tokens[index + 1].text : ""
            // `x.name` is a member of the student's own value, unless x is the C library.
            let isMember = previous == "." && !(index >= 2 && systemModules.contains(tokens[index - 2].text))
            if token.text == "import", previous != ".", index + 1 < tokens.count {
                // import Foundation · import struct NeuralKit.Tensor · @testable import X · import X.Y
                var moduleIndex = index + 1
                if ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains(
                    tokens[moduleIndex].text),
                    moduleIndex + 1 < tokens.count
                {
                    moduleIndex += 1
                }
                let module = tokens[moduleIndex].text
                if !allowedImports.contains(module) {
                    add(
                        token.line, "import \(module)",
                        "only " + allowedImports.sorted().joined(separator: ", ") + " may be imported")
                }
                continue
            }
            if token.text.hasPrefix("@_") {
                add(token.line, token.text, "underscored attributes bind code by symbol name, around the module system")
                continue
            }
            if let reason = forbiddenNames[token.text], !isMember || token.text == "Solutions" {
                add(token.line, token.text, reason)
            } else if let reason = forbiddenCalls[token.text], next == "(", !isMember, previous != "func",
                !declared.contains(token.text)
            {
                add(token.line, token.text + "(", reason)
            } else if let reason = forbiddenLabels[token.text], next == ":" {
                add(token.line, token.text + ":", reason)
            } else if token.text == "write", previous == ".", next == "(",
                index + 3 < tokens.count, ["to", "toFile"].contains(tokens[index + 2].text),
                tokens[index + 3].text == ":"
            {
                add(token.line, ".write(\(tokens[index + 2].text):", "writes files")
            }
        }
        return findings
    }

    struct Token {
        let text: String
        let line: Int
    }

    /// Identifiers (backticks removed), `@attributes` and single punctuation characters
    /// of the code, without comments and without the text of string literals.
    static func tokenize(_ source: String) -> [Token] {
        let characters = Array(source.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        var line = 1
        /// Open `\(` interpolations: for each, the parenthesis depth inside it and the string it resumes.
        var interpolations: [(depth: Int, hashes: Int, multiline: Bool)] = []

        func isIdentifierStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
        func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || c.properties.numericType != nil }
        func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        /// Skips the text of a string literal from after its opening quote(s); returns
        /// true when it stopped at an interpolation `\(` (the caller continues with code).
        func skipString(hashes: Int, multiline: Bool) -> Bool {
            while index < characters.count {
                let c = characters[index]
                if c == "\n" { line += 1 }
                if c == "\\" {
                    var count = 0
                    while count < hashes, peek(1 + count) == "#" { count += 1 }
                    if count == hashes {
                        if peek(1 + count) == "(" {
                            index += 2 + count
                            interpolations.append((0, hashes, multiline))
                            return true
                        }
                        index += 2 + count
                        continue
                    }
                }
                let quotes = multiline ? 3 : 1
                if c == "\"", (0..<quotes).allSatisfy({ peek($0) == "\"" }),
                    (0..<hashes).allSatisfy({ peek(quotes + $0) == "#" })
                {
                    index += quotes + hashes
                    return false
                }
                if !multiline && c == "\n" { return false }
                index += 1
            }
            return false
        }

        func openString() {
            // At `#…#"` or `"`: count the hashes, then the quotes.
            var hashes = 0
            while peek(hashes) == "#" { hashes += 1 }
            index += hashes
            let multiline = peek(0) == "\"" && peek(1) == "\"" && peek(2) == "\""
            index += multiline ? 3 : 1
            _ = skipString(hashes: hashes, multiline: multiline)
        }

        while index < characters.count {
            let c = characters[index]
            if c == "\n" {
                line += 1
                index += 1
                continue
            }
            if c == " " || c == "\t" || c == "\r" {
                index += 1
                continue
            }
            if c == "/", peek(1) == "/" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            }
            if c == "/", peek(1) == "*" {
                var depth = 0
                while index < characters.count {
                    if characters[index] == "/", peek(1) == "*" {
                        depth += 1
                        index += 2
                        continue
                    }
                    if characters[index] == "*", peek(1) == "/" {
                        depth -= 1
                        index += 2
                        if depth == 0 { break }
                        continue
                    }
                    if characters[index] == "\n" { line += 1 }
                    index += 1
                }
                continue
            }
            if c == "\""
                || (c == "#"
                    && {
                        var offset = 0
                        while peek(offset) == "#" { offset += 1 }
                        return peek(offset) == "\""
                    }())
            {
                openString()
                continue
            }
            if c == "(", !interpolations.isEmpty { interpolations[interpolations.count - 1].depth += 1 }
            if c == ")", let last = interpolations.last {
                if last.depth == 0 {
                    interpolations.removeLast()
                    index += 1
                    _ = skipString(hashes: last.hashes, multiline: last.multiline)
                    continue
                }
                interpolations[interpolations.count - 1].depth -= 1
            }
            if c == "`" {
                var end = index + 1
                while end < characters.count, characters[end] != "`", characters[end] != "\n" { end += 1 }
                tokens.append(Token(text: String(String.UnicodeScalarView(characters[(index + 1)..<end])), line: line))
                index = min(end + 1, characters.count)
                continue
            }
            if c == "@" || isIdentifierStart(c) || c == "$" {
                var end = index + 1
                while end < characters.count, isIdentifierPart(characters[end]) || characters[end] == "$" { end += 1 }
                tokens.append(Token(text: String(String.UnicodeScalarView(characters[index..<end])), line: line))
                index = end
                continue
            }
            tokens.append(Token(text: String(c), line: line))
            index += 1
        }
        return tokens
    }
}
