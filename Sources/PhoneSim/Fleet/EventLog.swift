import Foundation
import NIOConcurrencyHelpers

/// The `--events` file: one JSON object a line,
/// `{"t":1.234,"mac":"0c383e100000","event":"leased","ip":"127.64.1.1"}`
/// (`code` when there is one). Lines are written whole, under a lock.
public final class EventLog: Sendable {
    private let handle: NIOLockedValueBox<FileHandle?>
    private let start: ContinuousClock.Instant

    /// Creates (truncates) the file at `path`; `nil` path: no file.
    public init(path: String?, start: ContinuousClock.Instant = .now) throws {
        self.start = start
        guard let path else { handle = NIOLockedValueBox(nil); return }
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let file = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = NIOLockedValueBox(file)
    }

    public func record(_ event: PhoneEvent) {
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let line = Self.line(event, seconds: seconds)
        handle.withLockedValue { $0?.write(Data(line.utf8)) }
    }

    static func line(_ event: PhoneEvent, seconds: Double) -> String {
        var text = "{\"t\":\(String(format: "%.3f", seconds)),\"mac\":\(quoted(event.mac)),\"event\":\(quoted(event.kind.rawValue))"
        text += ",\"ip\":" + (event.ip.map(quoted) ?? "null")
        if let code = event.code { text += ",\"code\":\(code)" }
        return text + "}\n"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public func close() {
        handle.withLockedValue { try? $0?.close(); $0 = nil }
    }
}
