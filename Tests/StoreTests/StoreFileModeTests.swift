import Foundation
import Testing
@testable import Store

/// Issue 13, item 9: the store holds SIP and admin passwords; it is created
/// 0600 (with its -wal and -shm) under a umask of 022, and a store others
/// may read is refused without being touched.
@Suite(.serialized) struct StoreFileModeTests {
    /// Runs `body` with the umask of a default login (022), restored after.
    private func withUmask022<T>(_ body: () throws -> T) rethrows -> T {
        let old = umask(0o022)
        defer { umask(old) }
        return try body()
    }

    private func mode(_ path: String) -> mode_t? { StoreFileMode.mode(of: path) }

    @Test func aNewStoreAndItsSideFilesAre0600UnderUmask022() throws {
        let path = temporaryStorePath()
        let database = try withUmask022 { try SQLiteDatabase(path: path) }
        try database.pool.write { try $0.execute(sql: "CREATE TABLE IF NOT EXISTS probe (x)") }
        #expect(mode(path) == 0o600)
        for suffix in StoreFileMode.sideSuffixes {
            #expect(mode(path + suffix) == 0o600, "\(suffix) follows the store's mode")
        }
        let directory = (path as NSString).deletingLastPathComponent
        #expect((mode(directory) ?? 0o777) & 0o027 == 0, "directory made for the store is 0750 at most")
    }

    @Test func aStoreOthersCanReadIsRefusedAndLeftUntouched() throws {
        let path = temporaryStorePath()
        _ = try withUmask022 { try SQLiteDatabase(path: path) }
        #expect(chmod(path, 0o644) == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for suffix in StoreFileMode.sideSuffixes { unlink(path + suffix) }
        #expect(throws: StoreFileMode.Failure.tooOpen(path: path, mode: 0o644)) { try SQLiteDatabase(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(mode(path) == 0o644, "refused, not silently changed")
        for suffix in StoreFileMode.sideSuffixes { #expect(mode(path + suffix) == nil, "\(suffix) not created") }
        let message = StoreFileMode.Failure.tooOpen(path: path, mode: 0o644).description
        #expect(message.contains("chmod 600 \(path)"))
    }

    @Test(arguments: [mode_t(0o604), 0o606, 0o666, 0o601])
    func anyPermissionForOthersIsRefused(_ wide: mode_t) throws {
        let path = temporaryStorePath()
        _ = try StoreFileMode.prepare(path: path)
        #expect(chmod(path, wide) == 0)
        #expect(throws: StoreFileMode.Failure.tooOpen(path: path, mode: wide)) { try StoreFileMode.prepare(path: path) }
    }

    @Test func aGroupReadableStoreIsAccepted() throws {
        let path = temporaryStorePath()
        _ = try StoreFileMode.prepare(path: path)
        #expect(chmod(path, 0o640) == 0)
        _ = try withUmask022 { try SQLiteDatabase(path: path) }
        #expect(mode(path) == 0o640)
    }

    @Test func sideFilesLeftWideByAnOlderVersionAreNarrowed() throws {
        let path = temporaryStorePath()
        _ = try StoreFileMode.prepare(path: path)
        for suffix in StoreFileMode.sideSuffixes {
            #expect(FileManager.default.createFile(atPath: path + suffix, contents: nil))
            #expect(chmod(path + suffix, 0o644) == 0)
        }
        let database = try SQLiteDatabase(path: path)
        try database.pool.write { try $0.execute(sql: "CREATE TABLE IF NOT EXISTS probe (x)") }
        for suffix in StoreFileMode.sideSuffixes { #expect(mode(path + suffix) == 0o600, "\(suffix) narrowed") }
    }
}
