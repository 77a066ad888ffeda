import Foundation
import KitCommandLine
import NeuralKit

/// A demo's value of a walkthrough's worked example, printed beside the walkthrough's own number.
extension StageDemos {
    /// How far a value may be from the walkthrough's number, which is rounded to 4 or 6 decimals.
    static let walkthroughTolerance = 1e-4

    /// Prints the student's `tensor`, row by row, each with the walkthrough's row beside it and ✓ or ✗.
    /// `expected` is the walkthrough's number, typed in from docs/NN-*.md (never computed by the
    /// reference, which the student edition does not have). A rank-1 tensor is one row.
    @discardableResult
    static func show(_ label: String, _ tensor: Tensor?, expected: [[Double]]) -> Tensor? {
        guard let tensor else { return nil }
        let rows = tensor.rank == 2 ? (0..<tensor.rowCount).map { tensor.row($0).scalars } : [tensor.scalars]
        let shown = rows.map(row)
        let width = shown.map(\.count).max() ?? 0
        print("\(label) =")
        for index in 0..<max(rows.count, expected.count) {
            let yours = index < shown.count ? shown[index] : "(no row \(index))"
            guard index < expected.count else {
                print("  " + pad(yours, width) + "   ✗ the walkthrough has no row \(index)")
                continue
            }
            let right = index < rows.count && matches(rows[index], expected[index])
            print("  " + pad(yours, width) + "   " + (right ? "✓" : "✗") + " walkthrough: " + row(expected[index]))
        }
        return tensor
    }

    /// Prints the student's `value` with the walkthrough's number beside it and ✓ or ✗.
    static func show(_ label: String, _ value: Double?, expected: Double) {
        guard let value else { return }
        let right = matches([value], [expected])
        print(
            "\(label) = \(format(value, digits: 6))   " + (right ? "✓" : "✗")
                + " walkthrough: \(format(expected, digits: 6))")
    }

    /// Whether `values` are the walkthrough's `expected`, to its rounding.
    static func matches(_ values: [Double], _ expected: [Double]) -> Bool {
        values.count == expected.count && zip(values, expected).allSatisfy { abs($0 - $1) <= walkthroughTolerance }
    }

    static func row(_ values: [Double]) -> String {
        "[" + values.map { format($0) }.joined(separator: ", ") + "]"
    }
}
