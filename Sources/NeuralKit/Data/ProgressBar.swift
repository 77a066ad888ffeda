import Foundation

/// A text progress bar, rendered to a string:
///
///     train-images-idx3-ubyte.gz [██████▍         ] 45% 4.5/9.9 MB 1.2 MB/s ETA 4s
///     epoch 3 [████████████    ] 75% 352/469 batches 118 batches/s ETA 1s
///
/// Use it for downloads (`unit: .bytes`) and for training (`.items("batches")`).
/// `ProgressPrinter` draws it on a terminal.
public struct ProgressBar: Sendable, Equatable {
    public enum Unit: Sendable, Equatable {
        /// Sizes as kB / MB / GB (powers of 1000), speed per second.
        case bytes
        /// Counts of things ("batches", "images").
        case items(String)
    }

    /// Shown before the bar.
    public var label: String
    /// The amount at 100%; nil when unknown (no bar, no ETA).
    public var total: Int64?
    public var unit: Unit
    /// Characters between the brackets.
    public var width: Int
    /// Plain `#` and `-` instead of block characters.
    public var ascii: Bool

    public init(label: String = "", total: Int64?, unit: Unit = .bytes, width: Int = 24, ascii: Bool = false) {
        self.label = label
        self.total = total
        self.unit = unit
        self.width = max(width, 1)
        self.ascii = ascii
    }

    /// The line for `completed` units done after `elapsed` seconds.
    public func render(completed: Int64, elapsed: Double) -> String {
        var parts: [String] = []
        if !label.isEmpty { parts.append(label) }
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        if let total, total > 0 {
            let fraction = min(max(Double(completed) / Double(total), 0), 1)
            parts.append("[" + bar(fraction) + "]")
            parts.append("\(Int((fraction * 100).rounded(.down)))%")
            parts.append(amounts(completed, of: total))
        } else {
            parts.append(amounts(completed, of: nil))
        }
        if elapsed > 0, completed > 0 {
            parts.append(speed(rate))
        }
        if let total, total > 0, completed < total, rate > 0 {
            parts.append("ETA " + ProgressBar.duration(Double(total - completed) / rate))
        } else if let total, completed >= total, total > 0, elapsed > 0 {
            parts.append("in " + (elapsed < 10 ? String(format: "%.1fs", elapsed) : ProgressBar.duration(elapsed)))
        }
        return parts.joined(separator: " ")
    }

    func bar(_ fraction: Double) -> String {
        let eighths = Int((fraction * Double(width) * 8).rounded(.down))
        let full = min(eighths / 8, width)
        if ascii {
            return String(repeating: "#", count: full) + String(repeating: "-", count: width - full)
        }
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let partial = full < width ? partials[eighths % 8] : ""
        let used = full + (partial.isEmpty ? 0 : 1)
        return String(repeating: "█", count: full) + partial + String(repeating: "░", count: width - used)
    }

    func amounts(_ completed: Int64, of total: Int64?) -> String {
        switch unit {
        case .bytes:
            let (divisor, name) = ProgressBar.byteUnit(max(completed, total ?? 0))
            let done = ProgressBar.decimal(Double(completed) / divisor)
            guard let total else { return "\(done) \(name)" }
            return "\(done)/\(ProgressBar.decimal(Double(total) / divisor)) \(name)"
        case .items(let name):
            return total.map { "\(completed)/\($0) \(name)" } ?? "\(completed) \(name)"
        }
    }

    func speed(_ rate: Double) -> String {
        switch unit {
        case .bytes:
            let (divisor, name) = ProgressBar.byteUnit(Int64(rate))
            return "\(ProgressBar.decimal(rate / divisor)) \(name)/s"
        case .items(let name):
            return "\(ProgressBar.decimal(rate)) \(name)/s"
        }
    }

    /// A byte count in words: "9.9 MB", "28.9 kB", "512 B".
    public static func byteString(_ bytes: Int64) -> String {
        let (divisor, name) = byteUnit(bytes)
        return "\(decimal(Double(bytes) / divisor)) \(name)"
    }

    static func byteUnit(_ bytes: Int64) -> (Double, String) {
        switch bytes {
        case ..<1_000: return (1, "B")
        case ..<1_000_000: return (1e3, "kB")
        case ..<1_000_000_000: return (1e6, "MB")
        default: return (1e9, "GB")
        }
    }

    /// One decimal below 100, none above: "4.5", "12.0", "118".
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "?" }
        if value >= 99.95 { return String(Int(value.rounded())) }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// "4s", "1m05s", "2h03m".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h\(String(format: "%02d", (total % 3600) / 60))m"
    }
}

/// Draws a `ProgressBar` on standard error. On a terminal it redraws one line
/// in place (at most 10 times a second); in a log (not a terminal) it writes a
/// line at every quarter and at the end, so logs stay short.
public final class ProgressPrinter: @unchecked Sendable {
    public private(set) var bar: ProgressBar
    public let isTerminal: Bool
    private let start: Date
    private let lock = NSLock()
    private var lastDraw: Date = .distantPast
    private var lastQuarter = -1
    private var finished = false
    private let write: @Sendable (String) -> Void

    /// - `isTerminal`: nil detects whether standard error is a terminal.
    /// - `write`: where text goes (standard error by default; tests capture it).
    public init(
        _ bar: ProgressBar, isTerminal: Bool? = nil,
        write: @escaping @Sendable (String) -> Void = ProgressPrinter.standardError
    ) {
        self.bar = bar
        self.isTerminal = isTerminal ?? (isatty(2) == 1)
        self.start = Date()
        self.write = write
    }

    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Records progress; draws when it is time to.
    public func update(completed: Int64, total: Int64? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        if let total { bar.total = total }
        let now = Date()
        if isTerminal {
            guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            write("\r" + bar.render(completed: completed, elapsed: now.timeIntervalSince(start)) + "\u{1B}[K")
        } else if let total = bar.total, total > 0 {
            let quarter = Int(min(Double(completed) / Double(total), 1) * 4)
            guard quarter > lastQuarter, quarter < 4 else { return }
            lastQuarter = quarter
            write(bar.render(completed: completed, elapsed: now.timeIntervalSince(start)) + "\n")
        }
    }

    /// Draws the final state and ends the line.
    public func finish(completed: Int64, message: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        var line = bar.render(completed: completed, elapsed: Date().timeIntervalSince(start))
        if let message { line += " " + message }
        write(isTerminal ? "\r" + line + "\u{1B}[K\n" : line + "\n")
    }

    /// Ends the line after a failure: on a terminal, leaves the bar as it was.
    public func abandon(message: String) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        write(isTerminal ? "\r\u{1B}[K" + bar.label + " " + message + "\n" : bar.label + " " + message + "\n")
    }
}
