/// "Did you mean …?": the known word closest to a misspelt one.
public enum Suggestion {
    /// The word of `candidates` nearest to `word` by edit distance, if it is
    /// near enough to be a typo (at most a third of its letters wrong, and at most 2).
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let word = word.lowercased()
        let limit = min(2, max(1, word.count / 3))
        let scored = candidates.map { (candidate: $0, distance: editDistance(word, $0.lowercased())) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= limit else { return nil }
        return best.candidate
    }

    /// The Levenshtein distance (insertions, deletions and substitutions), with a
    /// swap of two neighbouring letters counting as one edit ("chcek").
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
