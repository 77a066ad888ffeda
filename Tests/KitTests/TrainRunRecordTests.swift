import Foundation
import Testing

/// What `kit train` leaves beside its pictures and prints: the test loss, and the run's record in `run.json`.
@Suite("kit train · test loss and run.json")
struct TrainRunRecordTests {
    @Test("a run logs and draws the test loss, and writes run.json with each epoch's figures beside its pictures")
    func runRecord() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kit-train-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try kitDemos("train", "--epochs", "2", "--output", folder.path, "--json")
        #expect(run.status == 0, "\(run.text)")
        let lines = run.text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("epoch 2/2") && $0.contains("test loss ") }, "\(run.text)")

        // The --json line stays a summary: the test loss, no history.
        let summary = try object(lines.last ?? "")
        #expect((summary["test_loss"] as? Double ?? 0) > 0 && summary["history"] == nil)

        let record = try object(String(contentsOf: folder.appendingPathComponent("run.json"), encoding: .utf8))
        #expect(record["test_accuracy"] as? Double == summary["test_accuracy"] as? Double)
        #expect(record["learning_rate"] as? Double == 0.1 && record["dataset"] as? String == "spirals")
        let history = try #require(record["history"] as? [[String: Any]])
        #expect(history.map { $0["epoch"] as? Int } == [1, 2])
        #expect(history.last?["test_loss"] as? Double == summary["test_loss"] as? Double)

        let loss = try String(contentsOf: folder.appendingPathComponent("loss.svg"), encoding: .utf8)
        #expect(loss.contains("data-name=\"test (after the epoch)\""))
    }

    private func object(_ json: String) throws -> [String: Any] {
        try #require(
            JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "not a JSON object: \(json)")
    }
}
