// STAND-IN, NOT FINAL: the real file is written by another helper and replaces
// this one. It only has the signature `kit run 8` calls.
import Foundation
import NeuralKit

/// Trains a network on a toy dataset with the student's code (or the
/// reference) and writes pictures of the result to `outputDirectory`.
func runToyDemo(dataset: ToyDataset, student: Bool, outputDirectory: URL) throws {
    print("(stand-in) would train on \(dataset.rawValue) with the \(student ? "student's" : "reference") code "
        + "and write to \(outputDirectory.path)")
}
