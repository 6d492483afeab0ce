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
