import Crypto
import Foundation

/// The admin API's bearer token: made at first start (256 random bits,
/// hex), kept in a file only its owner can read.
public enum AdminToken {
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case tooOpen(String, mode: Int)
        public var description: String {
            switch self {
            case .unreadable(let path): "admin token file \(path) cannot be read or created"
            case .tooOpen(let path, let mode):
                "admin token file \(path) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it"
            }
        }
    }

    /// Reads the token at `path`, creating it (mode 0600) when missing.
    public static func loadOrCreate(path: String) throws(Failure) -> String {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            let mode = ((try? manager.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? 0
            if mode & 0o077 != 0 { throw .tooOpen(path, mode: mode) }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  case let token = text.trimmingCharacters(in: .whitespacesAndNewlines), token.utf8.count >= 32
            else { throw .unreadable(path) }
            return token
        }
        let token = SymmetricKey(size: .bits256).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = umask(0o077)
        defer { umask(old) }
        guard manager.createFile(atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw .unreadable(path) }
        return token
    }
}
