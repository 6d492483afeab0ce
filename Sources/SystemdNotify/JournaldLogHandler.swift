#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOConcurrencyHelpers

/// Log lines for journald when stderr is its stream (systemd sets
/// `$JOURNAL_STREAM`): each line starts with the syslog priority as
/// `<N>` (sd-daemon(3)), which journald strips and records, so that
/// `journalctl -p notice` filters by level; no timestamp (journald stamps
/// every line), no colour. `subsystem: message key=value ...`, metadata
/// sorted by key, one line per entry (line breaks in values are escaped).
public struct JournaldLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = JournaldLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    /// True when stderr is the journal's stream (`$JOURNAL_STREAM` is
    /// `device:inode` of it, compared with stderr's own).
    public static func stderrIsJournal(environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        var line = "<\(Self.priority(event.level))>\(label): \(Self.oneLine("\(event.message)"))"
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.oneLine("\(merged[key]!)"))"
        }
        write(line + "\n")
    }

    static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static let lock = NIOLock()

    /// Whole lines to fd 2, one write each (journald reads them as they come).
    public static let standardError: @Sendable (String) -> Void = { line in
        lock.withLock {
            let bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
