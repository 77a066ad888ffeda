import NeuralKit
import Testing

@Suite("course · output markers in the walkthroughs")
struct OutputMarkerTests {
    @Test("parse finds each marker line with its line number and check, spaces around it allowed")
    func parsesMarkers() {
        let markdown = """
            # Stage 1

                softmax([1, 2, 3]) = [0.0900, 0.2447, 0.6652]

            <!-- output: softmax of [1, 2, 3], step by step -->
              <!--   output: ignored, the prefix is exact -->
               <!-- output:  softmax works on each row of a batch separately   -->\r
            Prose mentioning <!-- output: not on a line of its own --> is not a marker.
            """
        #expect(
            OutputMarker.parse(markdown) == [
                OutputMarker(line: 5, check: "softmax of [1, 2, 3], step by step"),
                OutputMarker(line: 7, check: "softmax works on each row of a batch separately"),
            ])
        #expect(OutputMarker.unclosedLines(markdown) == [])
    }

    @Test("a marker indented as code is no marker, and is reported as misplaced")
    func indentedMarker() {
        let markdown = "Text.\n\n    <!-- output: in a code block -->\n\t<!-- output: tab -->\n<!-- output: meant -->\n"
        #expect(OutputMarker.parse(markdown) == [OutputMarker(line: 5, check: "meant")])
        #expect(OutputMarker.indentedLines(markdown) == [3, 4])
    }

    @Test("a marker shown inside a fenced code block is not a marker")
    func ignoresFencedCode() {
        let markdown = """
            ```
            <!-- output: shown, not meant -->
            ```
            ~~~
            <!-- output: shown too -->
            ~~~
            <!-- output: meant -->
            """
        #expect(OutputMarker.parse(markdown) == [OutputMarker(line: 7, check: "meant")])
    }

    @Test(
        "line(for:) writes a marker that parse and check(in:) read back; a line without --> is unclosed, not a marker")
    func roundTripAndUnclosed() {
        let check = "MaxPool2D on the walkthrough's 4×4 example, forward and backward"
        #expect(OutputMarker.parse(OutputMarker.line(for: check)) == [OutputMarker(line: 1, check: check)])
        let unclosed = "text\n<!-- output: \(check)\nmore"
        #expect(OutputMarker.parse(unclosed) == [])
        #expect(OutputMarker.unclosedLines(unclosed) == [2])
        #expect(OutputMarker.check(in: "  " + OutputMarker.line(for: check)) == check)
        #expect(OutputMarker.check(in: "<!-- a comment -->") == nil)
    }
}
