import NeuralKit

/// Whether this copy of the kit has the reference solutions.
///
/// The student edition (`kit release`) has no `Solutions/`: Package.swift then
/// builds the `Solutions` module from the stubs and compiles kit-demos with
/// `NEURALKIT_NO_REFERENCE`. kit-demos never runs those stubs: under that flag
/// no file of it imports `Solutions`, `train` and `bench` run the student's
/// code, and `--reference` is an error that says where the reference is.
enum StudentEdition {
    #if NEURALKIT_NO_REFERENCE
    static let hasReference = false
    #else
    static let hasReference = true
    #endif

    /// What `kit train` and `kit bench` print when they run the student's code because there is no reference.
    static let trainsYourCode = "This is the student edition: it trains your code (stages 4–9; LeNet-5: stage 10)."

    /// The error of `--reference` where there is no reference; `instead` says what to do.
    static func noReference(instead: String) -> KitError {
        KitError(
            "--reference: this copy of the kit is the student edition, which has no reference solutions "
                + "(they are in the instructor's edition of the kit). \(instead)")
    }
}
