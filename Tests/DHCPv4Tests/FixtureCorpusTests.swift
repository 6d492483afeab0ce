import Foundation
import Testing
@testable import DHCPv4

/// The fuzz seed corpus (written by `Fuzz/make-seeds.py`) holds the same
/// bytes as the Swift fixtures, and every seed obeys the fuzz property.
@Suite("Fuzz seed corpus matches the fixtures")
struct FixtureCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/dhcpv4")

    static func seed(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name + ".bin")))
    }

    @Test("Seed file equals fixture", arguments: [
        ("discover-fanvil", Fixtures.discover),
        ("request-relayed", Fixtures.relayedRequest),
        ("ack-overloaded", Fixtures.overloaded),
        ("ack-split-option", Fixtures.splitOption),
        ("request-unknown-options", Fixtures.unknownOptions),
    ])
    func seedMatchesFixture(_ name: String, _ fixture: [UInt8]) throws {
        #expect(try Self.seed(name) == fixture)
    }

    @Test("Every seed satisfies decode → encode → decode")
    func seedsRoundTrip() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
            .filter { $0.hasSuffix(".bin") }
        #expect(files.count >= 10)
        var decoded = 0
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(file)))
            guard let m1 = try? DHCPMessage.decode(bytes) else { continue }
            decoded += 1
            let e = m1.encode()
            let m2 = try DHCPMessage.decode(e)
            #expect(m2 == m1, "\(file)")
            #expect(m2.encode() == e, "\(file)")
        }
        #expect(decoded >= 8)
    }
}
