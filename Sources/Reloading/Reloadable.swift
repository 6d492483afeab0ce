import Synchronization

/// A value a running service reads per request and a reload (SIGHUP)
/// replaces whole: every reader sees either the old or the new value,
/// never a mix.
public final class Reloadable<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    public init(_ value: Value) { state = Mutex(value) }

    public var current: Value { state.withLock { $0 } }

    public func replace(_ value: Value) { state.withLock { $0 = value } }
}

/// New settings a running service cannot take: each key named changed in a
/// way only a restart applies (listeners, sockets, what is enabled).
public struct ReloadRefusal: Error, CustomStringConvertible, Equatable, Sendable {
    public var keys: [String]
    public init(keys: [String]) { self.keys = keys }
    public var description: String {
        "needs a restart, not a reload: \(keys.joined(separator: ", ")) changed"
    }
}
