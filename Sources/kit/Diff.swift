import Foundation

/// Unified diffs: `diff -u` when the system has it, else a small one of our own.
enum Diff {
    static func unified(from old: URL, label oldLabel: String, to new: URL, label newLabel: String) throws -> String {
        if ProcessInfo.processInfo.environment["KIT_BUILTIN_DIFF"] == nil, Shell.which("diff") != nil,
            let result = try? Shell.capture(["diff", "-u", old.path, new.path], in: old.deletingLastPathComponent()),
            result.status == 0 || result.status == 1
        {
            // Replace the header's paths and dates by the labels.
            var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.count >= 2, lines[0].hasPrefix("---"), lines[1].hasPrefix("+++") {
                lines[0] = "--- " + oldLabel
                lines[1] = "+++ " + newLabel
            }
            return lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
        }
        let a = try String(contentsOf: old, encoding: .utf8)
        let b = try String(contentsOf: new, encoding: .utf8)
        return unified(a, b, oldLabel: oldLabel, newLabel: newLabel)
    }

    /// A unified diff of two texts, with `context` lines around each change.
    static func unified(_ old: String, _ new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        if a == b { return "" }
        // Longest common subsequence, by dynamic programming (the files are small).
        var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        // The edit script: (kind, old index, new index, text).
        var script: [(kind: Character, i: Int, j: Int, text: String)] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                script.append((" ", i, j, a[i]))
                i += 1
                j += 1
            } else if j < b.count, i == a.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                script.append(("+", i, j, b[j]))
                j += 1
            } else {
                script.append(("-", i, j, a[i]))
                i += 1
            }
        }
        // Hunks: the changes with their context, merged when they overlap.
        let changes = script.indices.filter { script[$0].kind != " " }
        var hunks: [ClosedRange<Int>] = []
        for index in changes {
            let range = max(0, index - context)...min(script.count - 1, index + context)
            if let last = hunks.last, range.lowerBound <= last.upperBound + 1 {
                hunks[hunks.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                hunks.append(range)
            }
        }
        var output = ["--- " + oldLabel, "+++ " + newLabel]
        for hunk in hunks {
            let entries = script[hunk]
            let oldCount = entries.filter { $0.kind != "+" }.count
            let newCount = entries.filter { $0.kind != "-" }.count
            let first = entries.first!
            let oldStart = oldCount == 0 ? first.i : first.i + 1
            let newStart = newCount == 0 ? first.j : first.j + 1
            output.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            output += entries.map { String($0.kind) + $0.text }
        }
        return output.joined(separator: "\n")
    }

    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
