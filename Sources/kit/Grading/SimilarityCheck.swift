import Foundation

/// One file of a student's stage, as compared: its text and its normalized tokens.
struct ComparedFile {
    let name: String
    let source: String
    let tokens: [NormalizedToken]

    /// The lines from the first to the last of `count` tokens from `start`.
    func lines(from start: Int, count: Int) -> ClosedRange<Int> {
        tokens[start].lines.lowerBound...tokens[start + count - 1].lines.upperBound
    }
}

/// Where a k-gram starts: which file of the stage, which token.
struct TokenPlace: Hashable, Comparable {
    let file: Int
    let position: Int

    static func < (left: TokenPlace, right: TokenPlace) -> Bool {
        (left.file, left.position) < (right.file, right.position)
    }
}

/// One student's files of one stage with the fingerprints that count: the stub's and the
/// class's common ones taken out.
struct StageSubmission {
    let student: String
    let files: [ComparedFile]
    /// Fingerprint hash → where its k-grams start.
    var occurrences: [UInt64: [TokenPlace]]

    var fingerprintCount: Int { occurrences.count }
}

/// A run of tokens two submissions share: where it is in each, and how long.
struct MatchedRegion: Equatable {
    let start: TokenPlace
    let otherStart: TokenPlace
    let length: Int
}

/// Two students' files of a stage, and how much of them is alike.
struct SimilarPair {
    let stage: Int
    let first: StageSubmission
    let second: StageSubmission
    /// Fingerprints both have.
    let shared: Int
    /// The regions both have, in the order of the first submission's files; numbered from 1 in the report.
    let regions: [MatchedRegion]

    /// The share of the first student's fingerprints that the second also has (MOSS's percentage).
    var firstPercent: Double { Double(shared) / Double(max(first.fingerprintCount, 1)) }
    var secondPercent: Double { Double(shared) / Double(max(second.fingerprintCount, 1)) }
    /// Shared fingerprints over the fewer of the two: what pairs are ranked by.
    var score: Double { max(firstPercent, secondPercent) }
    /// The tokens in the matched regions.
    var matchedTokens: Int { regions.reduce(0) { $0 + $1.length } }
}

/// MOSS-style similarity of a class's submissions, one stage at a time: fingerprints of normalized
/// tokens (`Winnowing`), less those of the stub's given code and those most of the class shares.
struct SimilarityCheck {
    var winnowing = Winnowing()
    /// A fingerprint in more than this share of a stage's submissions is a common idiom, not a
    /// sign of copying (MOSS's `-m`), once the stage has `commonMinimumClass` submissions:
    /// below that, "most of the class" is two or three students.
    var commonShare = 0.5
    var commonMinimumClass = 6
    /// Pairs scoring below this are not listed (nor written to the CSV).
    var floor = 0.1
    /// Nor are pairs whose matching regions hold fewer tokens than a run winnowing is sure to find
    /// (w + k − 1): with every name `V`, a k-gram or two such as `) } } public func V ( _ V : V , V`
    /// turn up by chance where two students ended different answers the same way.
    var minimumMatchedTokens: Int { winnowing.guarantee }

    /// What was found for one stage.
    struct StageResult {
        var pairs: [SimilarPair] = []
        /// How many submissions of the stage were compared (not the stub, not empty).
        var compared = 0
        /// Why some files were not compared ("alice: Dense.swift is not UTF-8 text").
        var notes: [String] = []
    }

    /// Compares the submissions of one stage. `stub`: the stage's files as handed out (name →
    /// contents); `submissions`: student → file name → contents.
    func compare(stage: Int, stub: [String: Data], submissions: [String: [String: Data]]) -> StageResult {
        var result = StageResult()
        let stubTokens = stub.mapValues { SwiftNormalizer.tokens(of: String(decoding: $0, as: UTF8.self)) }
        // Every k-gram of the given code, not only the stub's own fingerprints: winnowing keeps
        // different k-grams of the same code in a different file.
        let given = Set(stubTokens.values.flatMap { winnowing.gramHashes($0.map(\.text)) })
        var documents: [StageSubmission] = []
        for (student, submitted) in submissions.sorted(by: { $0.key < $1.key }) {
            var files: [ComparedFile] = []
            for (name, data) in submitted.sorted(by: { $0.key < $1.key }) {
                guard !data.contains(0), let source = String(data: data, encoding: .utf8) else {
                    result.notes.append("\(student): \(name) is not UTF-8 text: not compared")
                    continue
                }
                let tokens = SwiftNormalizer.tokens(of: source)
                // Still the stub (perhaps re-indented): nothing of the student's to compare.
                if tokens.isEmpty || tokens.map(\.text) == stubTokens[name]?.map(\.text) { continue }
                files.append(ComparedFile(name: name, source: source, tokens: tokens))
            }
            guard !files.isEmpty else { continue }
            var occurrences: [UInt64: [TokenPlace]] = [:]
            for (index, file) in files.enumerated() {
                for fingerprint in winnowing.fingerprints(of: file.tokens) where !given.contains(fingerprint.hash) {
                    occurrences[fingerprint.hash, default: []].append(
                        TokenPlace(file: index, position: fingerprint.position))
                }
            }
            documents.append(StageSubmission(student: student, files: files, occurrences: occurrences))
        }
        result.compared = documents.count
        removeCommon(from: &documents)
        for firstIndex in documents.indices {
            for secondIndex in documents.indices where secondIndex > firstIndex {
                if let pair = pair(stage: stage, documents[firstIndex], documents[secondIndex]) {
                    result.pairs.append(pair)
                }
            }
        }
        result.pairs = SimilarityCheck.ranked(result.pairs)
        return result
    }

    /// Takes out the fingerprints more than `commonShare` of the submissions have.
    func removeCommon(from documents: inout [StageSubmission]) {
        guard documents.count >= commonMinimumClass else { return }
        var holders: [UInt64: Int] = [:]
        for document in documents {
            for hash in document.occurrences.keys { holders[hash, default: 0] += 1 }
        }
        let common = Set(holders.filter { Double($0.value) > commonShare * Double(documents.count) }.keys)
        guard !common.isEmpty else { return }
        for index in documents.indices {
            documents[index].occurrences = documents[index].occurrences.filter { !common.contains($0.key) }
        }
    }

    /// The pair's score and regions, or nil below the floor.
    func pair(stage: Int, _ first: StageSubmission, _ second: StageSubmission) -> SimilarPair? {
        let (smaller, larger) = first.fingerprintCount <= second.fingerprintCount ? (first, second) : (second, first)
        let shared = smaller.occurrences.keys.filter { larger.occurrences[$0] != nil }
        guard !shared.isEmpty else { return nil }
        let pair = SimilarPair(
            stage: stage, first: first, second: second, shared: shared.count,
            regions: regions(first, second, shared: shared))
        return pair.score >= floor && pair.matchedTokens >= minimumMatchedTokens ? pair : nil
    }

    /// The runs of tokens both submissions have: shared fingerprints on the same diagonal (the same
    /// offset between the two files) joined when the tokens between them are alike too, then the
    /// longest runs that do not overlap, in the first submission's order.
    func regions(_ first: StageSubmission, _ second: StageSubmission, shared: [UInt64]) -> [MatchedRegion] {
        let gram = winnowing.gramLength
        // Code repeated within a file gives every pairing of its places; a few are enough to show it.
        let perHash = 8
        var tiles: [MatchedRegion] = []
        for hash in shared {
            for place in (first.occurrences[hash] ?? []).prefix(perHash) {
                for other in (second.occurrences[hash] ?? []).prefix(perHash) {
                    tiles.append(MatchedRegion(start: place, otherStart: other, length: gram))
                }
            }
        }
        // Tiles on one diagonal (the same files, the same offset between them), in order.
        func key(_ tile: MatchedRegion) -> (Int, Int, Int, Int) {
            (tile.start.file, tile.otherStart.file, tile.otherStart.position - tile.start.position, tile.start.position)
        }
        tiles.sort { key($0) < key($1) }
        var joined: [MatchedRegion] = []
        for tile in tiles {
            if let last = joined.last, key(last).0 == key(tile).0, key(last).1 == key(tile).1,
                key(last).2 == key(tile).2,
                tile.start.position <= last.start.position + last.length + winnowing.window,
                alike(first, second, from: last, to: tile)
            {
                let end = max(last.start.position + last.length, tile.start.position + tile.length)
                joined[joined.count - 1] = MatchedRegion(
                    start: last.start, otherStart: last.otherStart,
                    length: end - last.start.position)
            } else {
                joined.append(tile)
            }
        }
        joined.sort { ($0.length, $1.start, $1.otherStart) > ($1.length, $0.start, $0.otherStart) }
        var kept: [MatchedRegion] = []
        for region in joined where !kept.contains(where: { overlaps($0, region) }) { kept.append(region) }
        return kept.sorted { ($0.start, $0.otherStart) < ($1.start, $1.otherStart) }
    }

    /// Whether the tokens between the end of `region` and the start of `next` (on its diagonal) are the same in both.
    private func alike(
        _ first: StageSubmission, _ second: StageSubmission,
        from region: MatchedRegion, to next: MatchedRegion
    ) -> Bool {
        let gapStart = region.start.position + region.length
        guard gapStart < next.start.position else { return true }
        let offset = region.otherStart.position - region.start.position
        let tokens = first.files[region.start.file].tokens
        let otherTokens = second.files[region.otherStart.file].tokens
        return (gapStart..<next.start.position).allSatisfy { tokens[$0].text == otherTokens[$0 + offset].text }
    }

    private func overlaps(_ left: MatchedRegion, _ right: MatchedRegion) -> Bool {
        func overlap(_ a: TokenPlace, _ b: TokenPlace) -> Bool {
            a.file == b.file && a.position < b.position + right.length && b.position < a.position + left.length
        }
        return overlap(left.start, right.start) || overlap(left.otherStart, right.otherStart)
    }

    /// Highest score first; ties by matched tokens, then stage and names, so that runs agree.
    static func ranked(_ pairs: [SimilarPair]) -> [SimilarPair] {
        pairs.sorted { left, right in
            if left.score != right.score { return left.score > right.score }
            if left.matchedTokens != right.matchedTokens { return left.matchedTokens > right.matchedTokens }
            return (left.stage, left.first.student, left.second.student) < (
                right.stage, right.first.student, right.second.student
            )
        }
    }
}
