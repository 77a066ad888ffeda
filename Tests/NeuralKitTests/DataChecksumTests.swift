import Foundation
import NeuralKit
import Testing

@Suite("Data · MD5 and SHA-256")
struct DataChecksumTests {
    // RFC 1321 appendix A.5, plus two common vectors.
    static let md5Vectors: [(String, String)] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"),
    ]

    // FIPS 180-2 examples, plus common vectors.
    static let sha256Vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "The quick brown fox jumps over the lazy dog",
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        ),
        (String(repeating: "1234567890", count: 8), "f371bc4a311f2b009eef952dd83ca80e2b60026c8e935592d0f9c308453c813e"),
    ]

    @Test("MD5 matches the RFC 1321 test vectors")
    func md5() {
        for (text, digest) in Self.md5Vectors {
            #expect(MD5.hex(Array(text.utf8)) == digest, "MD5(\"\(text)\")")
        }
    }

    @Test("SHA-256 matches the FIPS 180 test vectors, including a million a's")
    func sha256() {
        for (text, digest) in Self.sha256Vectors {
            #expect(SHA256.hex(Array(text.utf8)) == digest, "SHA-256(\"\(text)\")")
        }
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(MD5.hex(million) == "7707d6ae4e027c70eea2a935c2296f21")
    }

    @Test("feeding the bytes in pieces of any size gives the same digest (block boundaries)")
    func streaming() {
        let bytes = dataTestBytes(300, seed: 4)
        let md5 = MD5.hex(bytes)
        let sha = SHA256.hex(bytes)
        for piece in [1, 3, 55, 56, 63, 64, 65, 127, 128, 200] {
            var m = MD5()
            var s = SHA256()
            var start = 0
            while start < bytes.count {
                let chunk = bytes[start..<min(start + piece, bytes.count)]
                m.update(chunk)
                s.update(chunk)
                start += piece
            }
            #expect(m.finalize().hexString == md5, "MD5 in pieces of \(piece)")
            #expect(s.finalize().hexString == sha, "SHA-256 in pieces of \(piece)")
        }
        // Every length around the padding boundaries gives its own digest (the length is hashed too).
        let digests = Set((50...130).map { MD5.hex(bytes.prefix($0)) })
        #expect(digests.count == 81)
    }

    @Test("digests of files agree with md5sum and sha256sum when the tools are installed")
    func agreesWithTools() throws {
        let folder = DataTestFolder("sums")
        var paths = [
            folder.write(dataTestBytes(100_003, seed: 8), to: "random.bin"),
            folder.write([], to: "empty.bin"),
        ]
        if let shared = DataTestPaths.sharedDatasets {
            paths.append((shared as NSString).appendingPathComponent("mnist-t10k/t10k-labels-idx1-ubyte.gz"))
            paths.append((shared as NSString).appendingPathComponent("fashion-mnist/t10k-images-idx3-ubyte.gz"))
        }
        for (tool, hash) in [
            ("md5sum", { try MD5.hex(ofFileAt: $0) }), ("sha256sum", { try SHA256.hex(ofFileAt: $0) }),
        ] as [(String, (String) throws -> String)] {
            guard
                let executable = ["/usr/bin/\(tool)", "/bin/\(tool)"].first(where: FileManager.default.isExecutableFile)
            else { continue }
            for path in paths where FileManager.default.fileExists(atPath: path) {
                let process = Process()
                let pipe = Pipe()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = [path]
                process.standardOutput = pipe
                try process.run()
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                let expected = String(output.prefix(while: { !$0.isWhitespace }))
                #expect(try hash(path) == expected, "\(tool) \(path)")
            }
        }
    }
}
