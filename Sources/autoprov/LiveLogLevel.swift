import Logging
import Synchronization

/// The process-wide log level, changeable while running (a reload with a
/// new `log.level`): every logger's handler reads it on each call.
enum LiveLogLevel {
    private static let level = Atomic<UInt8>(UInt8(Logger.Level.info.index))

    static var current: Logger.Level { Logger.Level.allCases[Int(level.load(ordering: .relaxed))] }

    static func set(_ new: Logger.Level) { level.store(UInt8(new.index), ordering: .relaxed) }
}

extension Logger.Level {
    fileprivate var index: Int { Logger.Level.allCases.firstIndex(of: self)! }
}

/// A stderr handler (swift-log's, or journald's form under systemd) with
/// its level taken from `LiveLogLevel`.
struct LiveLevelLogHandler: LogHandler {
    var inner: any LogHandler

    var logLevel: Logger.Level {
        get { LiveLogLevel.current }
        set { LiveLogLevel.set(newValue) }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        inner.log(event: event)
    }
}
