import Foundation
import NeuralKit
import Testing

@Suite("Docs · the stage index")
struct DocsIndex {
    @Test("docs/README.md lists the stages exactly as the manifest does")
    func docsIndexMatchesTheManifest() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/README.md"), encoding: .utf8)
        #expect(
            text.contains(Course.markdownIndex),
            "docs/README.md's stage table differs from the manifest: regenerate it with `swift run kit index`")
    }
}
