import ConfigServer
import Foundation
import Testing

@Suite struct AdminTokenTests {
    func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("autoprov-token-\(UUID().uuidString)/admin.token").path
    }

    @Test func theTokenIsMadeOnceOwnerOnlyAndReused() throws {
        let file = path()
        let token = try AdminToken.loadOrCreate(path: file)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        #expect(try AdminToken.loadOrCreate(path: file) == token)
    }

    @Test func aTokenFileOthersCanReadIsRefused() throws {
        let file = path()
        _ = try AdminToken.loadOrCreate(path: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: AdminToken.Failure.self) { try AdminToken.loadOrCreate(path: file) }
    }
}
